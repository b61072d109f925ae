"""The courier's day: scan every parcel, deliver with the resident's code (wrong codes counted)
or a photo (bytes checked), deposit a locker order into its compartment, fail with a reason and a
new slot. A courier sees and touches only their own routes; the page's queries do not grow with
the number of stops."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from linli.accounts.models import Role
from linli.accounts.services import user_create
from linli.core.errors import LinliError
from linli.delivery.models import CourierAssignment, Delivery, Route
from linli.delivery.services import (
    delivery_complete,
    delivery_deposit,
    delivery_fail,
    delivery_hand_over,
    parcel_scan,
    planning_request,
)
from linli.delivery.tests.conftest import order_delivery
from linli.delivery.tests.test_planning import move_home
from linli.orders.models import Order

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def planned(wave, django_capture_on_commit_callbacks):
    """Two paid orders at two households, handed to the hub by the shops, planned."""
    c = django_capture_on_commit_callbacks
    a = order_delivery(wave, key="a", capture=c)
    move_home(wave)
    b = order_delivery(wave, key="b", item="西红柿", capture=c)
    delivery_hand_over(actor=wave.hood.marco.owner, order_id=a.pk)
    delivery_hand_over(actor=wave.hood.mia.owner, order_id=b.pk)
    with override_settings(LINLI_DELIVERY_PLAN_SECONDS=0.5), c(execute=True):
        planning_request(actor=None, community_id=wave.community.pk, day=wave.slots[0].date)
    return wave, Delivery.objects.get(order=a), Delivery.objects.get(order=b)


def scan_all(courier, d):
    for p in d.parcels.all():
        parcel_scan(courier=courier, code=f"  {p.code.lower()} \n")  # a scanner's text
    d.refresh_from_db()
    return d


def test_scan_then_code_delivers_and_commits_the_stock(planned):
    wave, a, _ = planned
    assert Order.objects.get(pk=a.order_id).status == "ready"  # handed over = ready
    with pytest.raises(LinliError) as e:
        delivery_complete(courier=wave.courier, delivery_id=a.pk, code="1")
    assert e.value.spec.code == "delivery_wrong_state"  # not scanned yet: still at the hub
    a = scan_all(wave.courier, a)
    assert a.status == "out"
    with pytest.raises(LinliError) as e:
        delivery_complete(courier=wave.courier, delivery_id=a.pk, code="000000x")
    assert e.value.spec.code == "delivery_code_wrong"
    order = Order.objects.get(pk=a.order_id)
    assert order.pickup_tries == 1
    a = delivery_complete(courier=wave.courier, delivery_id=a.pk, code=order.pickup_code)
    order.refresh_from_db()
    assert (a.status, a.proof, order.status) == ("delivered", "code", "picked_up")
    assert order.lines.first().lots  # batches recorded at hand-over


def test_photo_proof_is_checked_by_its_bytes(planned):
    wave, _, b = planned
    b = scan_all(wave.courier, b)
    fake = SimpleUploadedFile("door.jpg", b"not an image at all", content_type="image/jpeg")
    with pytest.raises(LinliError) as e:
        delivery_complete(courier=wave.courier, delivery_id=b.pk, photo=fake)
    assert e.value.spec.code == "proof_photo_type"
    with pytest.raises(LinliError):
        delivery_complete(courier=wave.courier, delivery_id=b.pk)
    photo = SimpleUploadedFile("door.bin", PNG, content_type="application/octet-stream")
    b = delivery_complete(courier=wave.courier, delivery_id=b.pk, photo=photo)
    assert b.proof == "photo" and b.photo.name.endswith(".png")


def test_failed_with_a_new_slot_goes_back_to_the_hub(planned):
    wave, a, _ = planned
    a = scan_all(wave.courier, a)
    with pytest.raises(LinliError):
        delivery_fail(courier=wave.courier, delivery_id=a.pk, reason="")
    new = wave.slots[-1]
    a = delivery_fail(courier=wave.courier, delivery_id=a.pk, reason="not_home", slot_id=new.pk)
    assert (a.status, a.slot_id, a.attempts, a.fail_reason) == ("at_hub", new.pk, 1, "not_home")
    assert not a.parcels.filter(scanned_at__isnull=False).exists()
    new.refresh_from_db()
    assert new.claimed == 1
    from linli.accounts.models import Notification

    assert Notification.objects.filter(user=wave.hood.resident, kind="delivery_failed").exists()


def test_a_courier_sees_and_touches_only_their_routes(planned, client):
    wave, a, _ = planned
    other = user_create(phone="13800000016", display_name="别人", roles=[Role.COURIER])
    CourierAssignment.objects.create(courier=other, community=wave.community)
    code = a.parcels.first().code
    with pytest.raises(LinliError) as e:
        parcel_scan(courier=other, code=code)
    assert e.value.spec.code == "parcel_unknown"
    with pytest.raises(LinliError):
        delivery_complete(courier=other, delivery_id=a.pk, code="123456")
    client.force_login(other)
    page = client.get(f"/delivery/courier/?date={a.date}")
    assert page.status_code == 200 and code not in page.content.decode()
    client.force_login(wave.courier)
    page = client.get(f"/delivery/courier/?date={a.date}").content.decode()
    assert code in page, page[page.find("<main") :][:3000]
    assert "138****0001" in page and "13800000001" not in page


def test_courier_page_queries_do_not_grow_with_stops(planned, client):
    wave, a, b = planned
    client.force_login(wave.courier)
    url = f"/delivery/courier/?date={a.date}"
    client.get(url)
    with CaptureQueriesContext(connection) as two:
        client.get(url)
    route = Route.objects.filter(courier=wave.courier).first()
    stop = route.stops.first()
    for seq in range(3):  # more stops on the same route
        s = route.stops.create(seq=10 + seq, kind="home", name=f"x{seq}", lat=stop.lat,
                               lon=stop.lon, arrive_at=stop.arrive_at)  # fmt: skip
        s.deliveries.set([a, b])
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == len(two), [q["sql"] for q in more.captured_queries]
    assert len(two) <= 14


def test_locker_order_is_deposited_by_the_courier(wave, django_capture_on_commit_callbacks):
    from linli.orders.tests.test_lifecycle import pay
    from linli.orders.tests.test_locker_pickup import locker_site, order_milk

    c = django_capture_on_commit_callbacks
    locker_site(wave.hood)
    checkout = order_milk(wave.hood, key="locker-1")
    pay(checkout, c)
    order = checkout.orders.get()
    # handed over tomorrow morning, the day of the wave's slots: today's shift may be over
    # (after 21:30 the planner rightly routes nothing more today)
    morning = timezone.localtime().replace(hour=9, minute=0) + timedelta(days=1)
    d = delivery_hand_over(actor=wave.hood.marco.owner, order_id=order.pk, now=morning)
    assert d.destination == "locker" and d.date == wave.slots[0].date
    with override_settings(LINLI_DELIVERY_PLAN_SECONDS=0.5), c(execute=True):
        planning_request(actor=None, community_id=wave.community.pk, day=d.date)
    d = scan_all(wave.courier, d)
    d = delivery_deposit(courier=wave.courier, delivery_id=d.pk)
    order.refresh_from_db()
    assert d.status == "deposited" and order.status == "ready"
    from linli.lockers.models import Booking

    assert Booking.objects.get(order_id=order.pk).status == "deposited"


def test_a_hub_open_to_23_59_takes_hand_overs_in_its_last_minute(wave):
    """Hours are written to the minute: 00:00–23:59 is all day (at 23:59:30 it refused)."""
    from datetime import time

    from linli.delivery.services.consolidation import _hub_open

    last_minute = timezone.localtime().replace(hour=23, minute=59, second=30)
    _hub_open(wave.hub, last_minute)  # no HUB_CLOSED
    wave.hub.closes = time(20, 0)
    _hub_open(wave.hub, last_minute.replace(hour=20, minute=0, second=59))
    with pytest.raises(LinliError) as e:
        _hub_open(wave.hub, last_minute.replace(hour=20, minute=1, second=0))
    assert e.value.spec.code == "hub_closed"
