"""Reads for common delivery, always filtered by who asks."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet

from linli.accounts.models import User
from linli.delivery.models import Delivery, Parcel, PlanningRun, Route, RouteStop
from linli.delivery.services.access import communities_for_savings, communities_managed


def routes_for_courier(*, courier: User, day: date) -> QuerySet[Route]:
    """The courier's own routes of the current plans for the day, stops and parcels included
    (a fixed number of queries however long the route)."""
    deliveries = Delivery.objects.select_related(
        "order__resident", "order__outlet"
    ).prefetch_related(Prefetch("parcels", queryset=Parcel.objects.order_by("pk")))
    return (
        Route.objects.filter(courier=courier, run__date=day, run__status=PlanningRun.Status.DONE)
        .select_related("vehicle_type", "run__hub")
        .prefetch_related(
            Prefetch(
                "stops",
                queryset=RouteStop.objects.order_by("seq").prefetch_related(
                    Prefetch("deliveries", queryset=deliveries)
                ),
            )
        )
        .order_by("starts_at", "number")
    )


def runs_for_manager(*, user: User, day: date | None = None) -> QuerySet[PlanningRun]:
    qs = PlanningRun.objects.filter(community__in=communities_managed(user=user))
    if day is not None:
        qs = qs.filter(date=day)
    return qs.select_related("community", "hub").order_by("-created_at", "-pk")


def run_for_manager(*, user: User, run_id: int) -> PlanningRun | None:
    return runs_for_manager(user=user).filter(pk=run_id).first()


def savings_rows(*, user: User, limit: int = 30) -> list[dict[str, Any]]:
    """One row per planned wave (the latest done run of each community × day)."""
    runs = (
        PlanningRun.objects.filter(
            community__in=communities_for_savings(user=user), status=PlanningRun.Status.DONE
        )
        .exclude(savings={})
        .select_related("community")
        .order_by("-date", "community_id")[:limit]
    )
    rows = []
    for r in runs:
        s = r.savings or {}
        rows.append(
            {
                "run": r,
                "community": r.community.name,
                "date": r.date,
                "shops": s.get("shops", 0),
                "by_shop": s.get("shop_by_shop") or {},
                "hub": s.get("consolidated") or {},
                "ratio": s.get("km_ratio", 0),
            }
        )
    return rows
