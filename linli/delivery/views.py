"""Pages: the courier's route (mobile: map, stops, scan, proof, locker, failed), planning with
live progress (htmx polling) for the community, and the savings page for the community and the
commerce bureau."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.accounts.models import User
from linli.core.errors import LinliError
from linli.delivery import selectors, services
from linli.delivery.models import PlanningRun, Route, Slot
from linli.delivery.services.access import communities_for_savings, communities_managed
from linli.delivery.services.planning import latest_run, reason_text


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _day(request: HttpRequest) -> date:
    raw = request.GET.get("date") or request.POST.get("date") or ""
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return timezone.localdate()


def _route_layers(routes: list[Route]) -> list[dict[str, Any]]:
    lines, points = [], []
    for r in routes:
        hub = r.run.hub
        coords = [[hub.lon, hub.lat]] if hub else []
        for s in r.stops.all():
            coords.append([s.lon, s.lat])
            points.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [s.lon, s.lat]},
                    "properties": {
                        "name": f"{s.seq}. {s.name}",
                        "popup": f"{s.arrive_at:%H:%M}",
                        "format_class": f"{r.number}",
                    },
                }
            )
        if hub:
            coords.append([hub.lon, hub.lat])
        lines.append(
            {"type": "Feature", "geometry": {"type": "LineString", "coordinates": coords},
             "properties": {"name": f"#{r.number}"}}
        )  # fmt: skip
    return [
        {"kind": "area", "name": _("Route"), "data": {"type": "FeatureCollection", "features": lines}},
        {"kind": "outlets", "name": _("Stops"), "data": {"type": "FeatureCollection", "features": points}},
    ]  # fmt: skip


@login_required
def courier(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    day = _day(request)
    routes = list(selectors.routes_for_courier(courier=user, day=day))
    slots = list(
        Slot.objects.filter(
            kind=Slot.Kind.HOME,
            date__in=[day, day + timedelta(days=1)],
            cutoff_at__gt=timezone.now(),
            community__in={r.run.community_id for r in routes},
        ).order_by("date", "starts")[:12]
    )
    return render(
        request,
        "delivery/courier.html",
        {
            "routes": routes,
            "day": day,
            "days": [
                (timezone.localdate() + timedelta(days=i), label)
                for i, label in ((0, _("Today")), (1, _("Tomorrow")))
            ],
            "layers": {"layers": _route_layers(routes)},
            "fail_reasons": [(k, v[0], v[1]) for k, v in services.FAIL_REASONS.items()],
            "slots": slots,
        },
    )


@login_required
@require_POST
def courier_action(request: HttpRequest, action: str, pk: int = 0) -> HttpResponse:
    user = _user(request)
    try:
        if action == "scan":
            parcel = services.parcel_scan(courier=user, code=request.POST.get("code", ""))
            messages.success(request, _("Parcel %(code)s confirmed.") % {"code": parcel.code})
        elif action == "complete":
            services.delivery_complete(
                courier=user,
                delivery_id=pk,
                code=request.POST.get("code", ""),
                photo=request.FILES.get("photo"),
            )
            messages.success(request, _("Delivered."))
        elif action == "deposit":
            services.delivery_deposit(
                courier=user, delivery_id=pk, compartment_label=request.POST.get("label", "")
            )
            messages.success(request, _("In the locker; the resident has the code."))
        elif action == "drop":
            services.delivery_drop(courier=user, delivery_id=pk)
            messages.success(request, _("Left at the pickup point."))
        elif action == "fail":
            slot = request.POST.get("slot_id", "")
            services.delivery_fail(
                courier=user,
                delivery_id=pk,
                reason=request.POST.get("reason", ""),
                note=request.POST.get("note", ""),
                slot_id=int(slot) if slot.isdigit() else None,
            )
            messages.info(request, _("Recorded as not delivered."))
        else:
            raise Http404
    except LinliError as e:
        messages.error(request, e.message())
    return redirect("delivery:courier")


@login_required
def planning(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    communities = list(communities_managed(user=user).order_by("pk"))
    if not communities:
        raise Http404
    wanted = request.GET.get("community", "")
    community = next((c for c in communities if str(c.pk) == wanted), communities[0])
    day = _day(request)
    run = latest_run(community=community, day=day)
    return render(
        request,
        "delivery/planning.html",
        {"communities": communities, "community": community, "day": day, **_run_context(run)},
    )


def _run_context(run: PlanningRun | None) -> dict[str, Any]:
    if run is None:
        return {"run": None}
    unplanned = [{**u, "text": reason_text(u["reason"])} for u in (run.unplanned or [])]
    routes = list(run.routes.select_related("vehicle_type", "courier").order_by("number"))
    return {"run": run, "unplanned": unplanned, "routes": routes, "polling": run.status
            in (PlanningRun.Status.QUEUED, PlanningRun.Status.RUNNING)}  # fmt: skip


@login_required
def planning_run(request: HttpRequest, pk: int) -> HttpResponse:
    """The run's card, polled by htmx every second while it plans."""
    run = selectors.run_for_manager(user=_user(request), run_id=pk)
    if run is None:
        raise Http404
    return render(request, "delivery/_run.html", _run_context(run))


@login_required
@require_POST
def planning_start(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    community_id = int(request.POST.get("community") or 0)
    day = _day(request)
    try:
        services.planning_request(actor=user, community_id=community_id, day=day)
    except LinliError as e:
        messages.error(request, e.message())
    return redirect(f"/delivery/planning/?community={community_id}&date={day}")


@login_required
def savings(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not communities_for_savings(user=user).exists():
        raise Http404
    rows = selectors.savings_rows(user=user)
    labels = [f"{r['date']:%m-%d} {r['community'][:8]}" for r in reversed(rows)]
    option = {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [_("Shop by shop"), _("Consolidated")]},
        "xAxis": {"type": "category", "data": labels},
        "yAxis": {"type": "value", "name": _("vehicle-km")},
        "series": [
            {"name": _("Shop by shop"), "type": "bar",
             "data": [r["by_shop"].get("vehicle_km", 0) for r in reversed(rows)]},
            {"name": _("Consolidated"), "type": "bar",
             "data": [r["hub"].get("vehicle_km", 0) for r in reversed(rows)]},
        ],
    }  # fmt: skip
    official = user.has_role("commerce_official")
    return render(
        request, "delivery/savings.html", {"rows": rows, "option": option, "official": official}
    )


@login_required
@require_POST
def hand_over(request: HttpRequest) -> HttpResponse:
    """A shop hands an order to the hub (from the order board)."""
    try:
        services.delivery_hand_over(
            actor=_user(request), order_id=int(request.POST.get("order_id") or 0)
        )
        messages.success(request, _("Handed to the hub."))
    except LinliError as e:
        messages.error(request, e.message())
    return redirect(request.POST.get("next") or "/merchant/orders/")
