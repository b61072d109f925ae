"""Planning a wave on the street grid: routes from the hub, households merged, progress on the
run; orders the planner cannot place come back with the reason (off the network, too big for
any vehicle, no vehicles) while the rest is planned; an order added re-plans the wave."""

from __future__ import annotations

import pytest
from django.test import override_settings

from linli.community.models import Building, Household, HouseholdMember
from linli.delivery.models import Delivery, PlanningRun, VehicleType
from linli.delivery.services import planning_request
from linli.delivery.tests.conftest import order_delivery

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast")]


@pytest.fixture
def fast():
    with override_settings(LINLI_DELIVERY_PLAN_SECONDS=0.5):
        yield


def move_home(wave):
    b = Building.objects.filter(community=wave.community, residential=True).order_by("-pk")[0]
    neighbour = Household.objects.create(building=b, room="202")
    HouseholdMember.objects.filter(user=wave.hood.resident).update(household=neighbour)


def plan(wave, capture):
    with capture(execute=True):
        run = planning_request(actor=None, community_id=wave.community.pk, day=wave.slots[0].date)
    run.refresh_from_db()
    return run


def test_paid_orders_of_one_household_become_one_stop(wave, django_capture_on_commit_callbacks):
    c = django_capture_on_commit_callbacks
    a = order_delivery(wave, key="a", item="伊利纯牛奶", capture=c)
    b = order_delivery(wave, key="b", item="西红柿", capture=c)
    run = plan(wave, c)
    assert run.status == "done" and run.progress == 1.0
    assert run.orders == 2 and run.stops == 1 and run.unplanned == []
    route = run.routes.get()
    stop = route.stops.get()
    assert {d.order_id for d in stop.deliveries.all()} == {a.pk, b.pk}
    assert route.vehicle_type.kind == "cold_van"  # the milk is chilled
    assert route.distance_m > 0 and route.load["chilled"] > 0


def test_unplanned_reasons_and_the_rest_is_planned(wave, django_capture_on_commit_callbacks):
    c = django_capture_on_commit_callbacks
    ok = order_delivery(wave, key="ok", capture=c)
    move_home(wave)  # another household: not merged with `ok`
    big = order_delivery(wave, key="big", item="农夫山泉 550ml", capture=c)
    Delivery.objects.filter(order=big).update(volume_ml=5_000_000)
    Delivery.objects.get(order=big).parcels.update(volume_ml=5_000_000)
    far = Building.objects.create(
        community=wave.community, name="远郊楼", lat=40.2, lon=116.9, residential=True
    )
    away = Delivery.objects.create(
        order=ok.__class__.objects.create(
            checkout=ok.checkout, resident=ok.resident, outlet=ok.outlet, status="paid",
            subtotal_fen=1, total_fen=1,
        ),
        community=wave.community, date=wave.slots[0].date, slot=wave.slots[2],
        destination="home", building=far, lat=far.lat, lon=far.lon, volume_ml=500, weight_g=500,
    )  # fmt: skip
    away.parcels.create(code="LPFAR", storage="ambient", volume_ml=500, weight_g=500)
    run = plan(wave, c)
    reasons = {tuple(u["order_ids"]): u["reason"] for u in run.unplanned}
    big_d, ok_d = Delivery.objects.get(order=big), Delivery.objects.get(order=ok)
    assert reasons == {(big_d.pk,): "too_big", (away.pk,): "off_network"}
    assert {d.pk for r in run.routes.all() for s in r.stops.all() for d in s.deliveries.all()} == {
        ok_d.pk
    }
    assert Delivery.objects.get(pk=away.pk).unplanned_reason == "off_network"


def test_no_vehicles(wave, django_capture_on_commit_callbacks):
    c = django_capture_on_commit_callbacks
    order_delivery(wave, key="x", capture=c)
    VehicleType.objects.all().delete()
    run = plan(wave, c)
    assert [u["reason"] for u in run.unplanned] == ["no_vehicles"]
    assert not run.routes.exists()


def test_an_order_added_re_plans_the_wave(wave, django_capture_on_commit_callbacks):
    c = django_capture_on_commit_callbacks
    order_delivery(wave, key="first", capture=c)
    first = plan(wave, c)
    move_home(wave)
    order_delivery(wave, key="second", item="西红柿", capture=c)
    runs = list(PlanningRun.objects.order_by("pk"))
    assert len(runs) == 2 and runs[1].reason == "order_added"
    first.refresh_from_db()
    assert first.status == "superseded" and runs[1].status == "done"
    assert runs[1].orders == 2 and runs[1].stops == 2


def test_managers_only(wave, django_capture_on_commit_callbacks):
    from linli.core.errors import LinliError

    with pytest.raises(LinliError):
        planning_request(actor=wave.courier, community_id=wave.community.pk, day=wave.slots[0].date)
