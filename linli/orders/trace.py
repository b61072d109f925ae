"""Tells inventory's traceability whose order a claim ref ("order-line:57") belongs to."""

from __future__ import annotations

from django.urls import reverse

from linli.inventory.trace import SaleOwner
from linli.orders.models import OrderLine

PREFIX = "order-line:"


def sale_owners(refs: list[str]) -> dict[str, SaleOwner]:
    ids = [
        int(r[len(PREFIX) :]) for r in refs if r.startswith(PREFIX) and r[len(PREFIX) :].isdigit()
    ]
    lines = OrderLine.objects.filter(pk__in=ids).select_related("order")
    return {
        f"{PREFIX}{ln.pk}": SaleOwner(
            resident_id=ln.order.resident_id,
            order_id=ln.order_id,
            order_number=ln.order.number or f"#{ln.order_id}",
            url=reverse("orders:detail", args=[ln.order_id]),
        )
        for ln in lines
    }
