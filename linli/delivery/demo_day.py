"""The demo day: 1,000 paid orders from 40 Wangjing shops to the community's households, each a
delivery with parcels at the hub, in the next day's 1-hour slots; then one planning run.

Orders are written directly as rows (checkout, order, lines, delivery, parcels), not through
checkout: 1,000 checkouts with stock claims and payments would measure the order pipeline,
not the planner. The lines are real listings of the shops, so volumes, weights and storage
classes come from the demo catalogue; the household merging is real (households get several
orders), and the places are the community's residential buildings, weighted by households.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from linli.accounts.models import Role, User
from linli.catalog.models import Listing
from linli.community.models import Building, Community, Household
from linli.delivery.models import Delivery, Parcel, Slot
from linli.delivery.services.consolidation import _code, community_hub, parcels_for
from linli.delivery.services.slots import slots_ensure
from linli.orders.domain import Status
from linli.orders.models import Checkout, Order, OrderLine
from linli.shops.models import Outlet


@dataclass
class Generated:
    day: date
    orders: int
    shops: int
    households: int
    buildings: int


def _resident() -> User:
    user = User.objects.filter(phone="13800000001").first()
    if user is None:
        from linli.accounts.services import user_create

        user = user_create(phone="13800000001", display_name="王芳", roles=[Role.RESIDENT])
    return user


@transaction.atomic
def demo_day_generate(
    *, community: Community, n_orders: int = 1000, n_shops: int = 40, seed: int = 7
) -> Generated:
    rng = random.Random(seed)
    day = timezone.localdate() + timedelta(days=1)
    Delivery.objects.filter(community=community, date=day).delete()
    slots = slots_ensure(community=community, day=day, capacity=10_000)
    Slot.objects.filter(pk__in=[s.pk for s in slots]).update(capacity=10_000, claimed=0)
    listings: dict[int, list[Listing]] = {}
    for li in Listing.objects.filter(outlet__community=community, active=True).select_related(
        "product"
    ):
        listings.setdefault(li.outlet_id, []).append(li)
    outlets = list(
        Outlet.objects.filter(pk__in=list(listings), active=True).order_by("pk")[:n_shops]
    )
    buildings = list(Building.objects.filter(community=community, residential=True))
    weights = [max(1, b.households) for b in buildings]
    resident = _resident()
    hub = community_hub(community.pk)
    now = timezone.now()
    checkout = Checkout.objects.create(
        resident=resident,
        idempotency_key=f"demo-day-{day}-{rng.random()}",
        total_fen=0,
        expires_at=now,
    )
    homes: dict[tuple[int, int], Household] = {}
    made: list[tuple[Order, Household, Slot]] = []
    for _ in range(n_orders):
        b = rng.choices(buildings, weights)[0]
        key = (b.pk, rng.randrange(max(2, min(b.households or 20, 40))))
        if key not in homes:
            homes[key], _ = Household.objects.get_or_create(
                building=b, unit="demo", room=str(key[1] + 101)
            )
        outlet = rng.choice(outlets)
        picks = rng.sample(listings[outlet.pk], k=min(len(listings[outlet.pk]), rng.randint(1, 4)))
        order = Order.objects.create(
            checkout=checkout,
            resident=resident,
            outlet=outlet,
            status=Status.PAID,
            fulfilment_method="delivery_slot",
            subtotal_fen=0,
            total_fen=0,
            paid_at=now,
        )
        lines = [
            OrderLine(
                order=order,
                listing=li,
                product_id=li.product_id,
                name=li.product.name,
                storage=li.product.storage,
                unit_price_fen=li.price_fen,
                quantity=rng.randint(1, 3),
                line_total_fen=0,
            )
            for li in picks
        ]
        OrderLine.objects.bulk_create(lines)
        made.append((order, homes[key], rng.choice(slots)))
    parcels: list[Parcel] = []
    for order, home, slot in made:
        bags = parcels_for(order)
        b = home.building
        d = Delivery.objects.create(
            order=order,
            community=community,
            hub=hub,
            date=day,
            slot=slot,
            destination=Delivery.Destination.HOME,
            building=b,
            household=home,
            lat=b.lat,
            lon=b.lon,
            status=Delivery.Status.AT_HUB,
            at_hub_at=now,
            volume_ml=sum(x[1] for x in bags),
            weight_g=sum(x[2] for x in bags),
            storage=max((x[0] for x in bags), key=["ambient", "chilled", "frozen"].index),
        )
        parcels += [
            Parcel(delivery=d, code=_code(), storage=s, volume_ml=v, weight_g=g) for s, v, g in bags
        ]
    Parcel.objects.bulk_create(parcels, batch_size=1000)
    per_slot = Counter(s.pk for _, _, s in made)
    for s in slots:
        Slot.objects.filter(pk=s.pk).update(claimed=per_slot.get(s.pk, 0))
    return Generated(
        day,
        len(made),
        len({o.outlet_id for o, _, _ in made}),
        len(homes),
        len({k[0] for k in homes}),
    )
