"""Planning runs: requested by a page (or by an order joining a planned wave), executed by a
Celery task with its progress on the `PlanningRun` row, stored as routes and stops.

The hub's staging rule is applied after solving: at most `max_waiting_vehicles` vehicles load
at once, each for `loading_minutes`; a route whose bay is busy leaves later (and says so).
"""

from __future__ import annotations

import time as clock
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from linli.accounts.models import User
from linli.community.models import Community
from linli.delivery.models import CourierAssignment, Delivery, PlanningRun, Route, RouteStop
from linli.delivery.models import VehicleType as VehicleRow
from linli.delivery.routing import REASONS, Plan, Progress, solve
from linli.delivery.routing.savings import Footprint, footprint
from linli.delivery.services.access import require_manager
from linli.delivery.services.problem import Wave, wave_build

# Reasons found before the solver (the delivery has no place to go); the rest are routing's.
OWN_REASONS = {"no_address": ("no delivery address", "没有配送地址")}


def reason_text(code: str) -> tuple[str, str]:
    return OWN_REASONS.get(code) or REASONS.get(code) or (code, code)


def default_seconds() -> float:
    return float(getattr(settings, "LINLI_DELIVERY_PLAN_SECONDS", 10))


@transaction.atomic
def planning_request(
    *,
    actor: User | None,
    community_id: int,
    day: date,
    reason: str = "manual",
    seconds: float | None = None,
) -> PlanningRun:
    """Queue a planning run for the wave; the task starts after commit (eager without broker).
    `actor=None` is the system (an order joined a planned wave)."""
    if actor is not None:
        require_manager(actor, community_id)
    from linli.delivery.services.consolidation import community_hub

    run = PlanningRun.objects.create(
        community_id=community_id,
        hub=community_hub(community_id),
        date=day,
        reason=reason,
        seconds_budget=seconds if seconds is not None else default_seconds(),
        requested_by=actor,
    )
    from linli.delivery.tasks import plan_wave

    transaction.on_commit(lambda: plan_wave.delay(run.pk))
    return run


def _progress_writer(run_id: int, every: float = 1.0):  # type: ignore[no-untyped-def]
    last = [0.0]

    def write(p: Progress) -> None:
        now = clock.perf_counter()
        if p.phase != "done" and now - last[0] < every:
            return
        last[0] = now
        # Budget: the consolidated plan is half of the run, the comparison the other half.
        PlanningRun.objects.filter(pk=run_id).update(
            progress=min(0.95, 0.05 + 0.5 * p.fraction), phase=p.phase[:16]
        )

    return write


def planning_execute(
    *, run_id: int, compare: bool = True, now: datetime | None = None
) -> PlanningRun:
    """Build, solve, store. Called by the task; commits progress as it goes."""
    if not PlanningRun.objects.filter(pk=run_id, status=PlanningRun.Status.QUEUED).update(
        status=PlanningRun.Status.RUNNING, started_at=timezone.now(), phase="build"
    ):
        return PlanningRun.objects.get(pk=run_id)
    run = PlanningRun.objects.select_related("community").get(pk=run_id)
    try:
        t0 = clock.perf_counter()
        wave = wave_build(community=run.community, day=run.date, now=now, compare=compare)
        PlanningRun.objects.filter(pk=run_id).update(progress=0.05, phase="solve")
        plan = solve(wave.problem, run.seconds_budget, seed=1, progress=_progress_writer(run_id))
        plan_s = clock.perf_counter() - t0
        saving = _savings(wave, plan, run) if compare else {}
        _store(run, wave, plan, plan_s, saving)
    except Exception as e:  # the page must show that it failed, not spin for ever
        PlanningRun.objects.filter(pk=run_id).update(
            status=PlanningRun.Status.FAILED, error=str(e)[:300], finished_at=timezone.now()
        )
        raise
    run.refresh_from_db()
    if run.replan_wanted:
        planning_request(
            actor=None,
            community_id=run.community_id,
            day=run.date,
            reason="order_added",
            seconds=run.seconds_budget,
        )
    return run


def _savings(wave: Wave, plan: Plan, run: PlanningRun) -> dict[str, object]:
    PlanningRun.objects.filter(pk=run.pk).update(progress=0.6, phase="compare")
    hub = footprint(wave.problem, plan)
    per_shop = max(0.2, run.seconds_budget / 2 / max(1, len(wave.by_shop)))
    shops = Footprint(0.0, 0, 0.0, 0.0, 0)
    for problem in wave.by_shop.values():
        shops = shops + footprint(problem, solve(problem, per_shop, 1))
    pick = None
    if wave.collection is not None:
        budget = max(0.2, run.seconds_budget / 4)
        pick = footprint(wave.collection, solve(wave.collection, budget, 1))
        hub = hub + pick
    ratio = hub.vehicle_km / shops.vehicle_km if shops.vehicle_km else 0.0
    return {
        "shop_by_shop": shops.__dict__,
        "consolidated": hub.__dict__,
        "collection": pick.__dict__ if pick else None,
        "km_ratio": round(ratio, 3),
        "shops": len(wave.by_shop),
    }


def _at(day: date, s: int) -> datetime:
    base = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    return base + timedelta(seconds=int(s))


@transaction.atomic
def _store(
    run: PlanningRun, wave: Wave, plan: Plan, plan_s: float, saving: dict[str, object]
) -> None:
    PlanningRun.objects.filter(
        community_id=run.community_id, date=run.date, status=PlanningRun.Status.DONE
    ).exclude(pk=run.pk).update(status=PlanningRun.Status.SUPERSEDED)
    by_id = {str(d.pk): d for d in wave.deliveries}
    stops = {s.id: s for s in wave.problem.stops}
    vt_pk = {
        f"vt{pk}": pk
        for pk in VehicleRow.objects.filter(community=run.community).values_list("pk", flat=True)
    }
    couriers = list(
        CourierAssignment.objects.filter(community=run.community, active=True)
        .order_by("pk")
        .values_list("courier_id", flat=True)
    )
    hub = wave.hub
    bays = [0] * (hub.max_waiting_vehicles if hub else 0)
    load_s = (hub.loading_minutes if hub else 10) * 60
    notes = list(plan.notes)
    routes = sorted(plan.routes, key=lambda r: r.start)
    for n, r in enumerate(routes, start=1):
        delay, bay = 0, 1
        if bays:
            bay = min(range(len(bays)), key=lambda i: bays[i]) + 1
            load_at = max(r.start - load_s, bays[bay - 1])
            delay = max(0, load_at + load_s - r.start)
            bays[bay - 1] = load_at + load_s
        if delay:
            notes.append(f"route {n}: leaves {delay // 60} min later (hub bays busy)")
        route = Route.objects.create(
            run=run,
            number=n,
            vehicle_type_id=vt_pk.get(r.vehicle_type),
            courier_id=couriers[(n - 1) % len(couriers)] if couriers else None,
            bay=bay,
            load_at=_at(run.date, r.start + delay - load_s),
            starts_at=_at(run.date, r.start + delay),
            ends_at=_at(run.date, r.end + delay),
            distance_m=r.distance,
            duration_s=r.duration,
            load=dict(
                zip(("ambient", "chilled", "frozen", "weight"), r.load.as_tuple(), strict=True)
            ),
        )
        for seq, visit in enumerate(r.stops, start=1):
            stop = stops[visit.stop_id]
            first = by_id[stop.order_ids[0]]
            rs = RouteStop.objects.create(
                route=route,
                seq=seq,
                kind=first.destination,
                name=wave.names.get(stop.key, "")[:120],
                lat=stop.y,
                lon=stop.x,
                arrive_at=_at(run.date, visit.start + delay),
            )
            rs.deliveries.set([by_id[o] for o in stop.order_ids])
    unplanned = [*wave.unplanned, *plan.unplanned]
    Delivery.objects.filter(pk__in=[d.pk for d in wave.deliveries]).update(unplanned_reason="")
    for u in unplanned:
        Delivery.objects.filter(pk__in=[int(o) for o in u.order_ids]).update(
            unplanned_reason=u.reason[:24]
        )
    PlanningRun.objects.filter(pk=run.pk).update(
        status=PlanningRun.Status.DONE,
        progress=1.0,
        phase="done",
        finished_at=timezone.now(),
        plan_seconds=round(plan_s, 2),
        orders=len(wave.deliveries),
        stops=len(wave.problem.stops),
        distance_m=plan.distance,
        unplanned=[
            {"order_ids": [int(o) for o in u.order_ids], "reason": u.reason, "detail": u.detail}
            for u in unplanned
        ],
        savings=saving,
        notes=notes,
    )


def latest_run(*, community: Community, day: date) -> PlanningRun | None:
    return (
        PlanningRun.objects.filter(community=community, date=day)
        .exclude(status=PlanningRun.Status.SUPERSEDED)
        .order_by("-created_at", "-pk")
        .first()
    )
