"""The reorder page: suggested order quantities per product with the forecast behind them,
one-click draft purchase orders per supplier, and joint-procurement suggestions."""

from __future__ import annotations

import math
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.models import User
from linli.core.errors import LinliError
from linli.procurement import replenishment
from linli.procurement.access import outlets_for
from linli.procurement.errors import ProcurementError, ProcurementErrorCode
from linli.procurement.models import SupplierProduct


def _chart(plan: replenishment.Plan, line: replenishment.Line | None) -> dict[str, object]:
    if line is None:
        return {}
    ahead = [plan.today + timedelta(days=i) for i in range(len(line.forecast))]
    history = [None if math.isnan(v) else v for v in line.history]
    n = len(history)
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [_("Sold"), _("Forecast")]},
        "xAxis": {"type": "category", "data": [d.strftime("%m-%d") for d in plan.days + ahead]},
        "yAxis": {"type": "value", "name": _("Units")},
        "series": [
            {"name": _("Sold"), "type": "bar", "data": history + [None] * len(ahead)},
            {
                "name": _("Forecast"),
                "type": "line",
                "lineStyle": {"type": "dashed"},
                "data": [None] * n + line.forecast,
            },
        ],
    }


@login_required
def reorder_index(request: HttpRequest) -> HttpResponse:
    outlet = outlets_for(request.user).first()  # type: ignore[arg-type]
    if outlet is None:
        raise ProcurementError(ProcurementErrorCode.NOT_YOUR_OUTLET)
    return redirect("procurement_reorder:reorder", outlet_id=outlet.pk)


def _post(request: HttpRequest, user: User, outlet_id: int) -> HttpResponse | None:
    action = request.POST.get("action")
    try:
        if action == "drafts":
            pos, skipped = replenishment.reorder_create_drafts(actor=user, outlet_id=outlet_id)
            if pos:
                messages.success(
                    request, _("%(n)s draft purchase orders created.") % {"n": len(pos)}
                )
            if skipped:
                messages.warning(
                    request,
                    _("No supplier yet (order them yourself): %(names)s")
                    % {"names": "、".join(skipped)},
                )
        elif action == "round":
            from linli.procurement.services import round_open

            sp = SupplierProduct.objects.get(pk=int(request.POST.get("supplier_product") or 0))
            opened = round_open(
                actor=user,
                supplier_product=sp,
                title=sp.name,
                deadline=timezone.now() + timedelta(days=2),
            )
            messages.success(request, _("Joint-procurement round opened."))
            return redirect("procurement:round", round_id=opened.pk)
    except (LinliError, ValueError, SupplierProduct.DoesNotExist) as e:
        messages.error(request, e.message() if isinstance(e, LinliError) else _("Not found"))
    return None


@login_required
def reorder(request: HttpRequest, outlet_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if request.method == "POST":
        return _post(request, user, outlet_id) or redirect(
            "procurement_reorder:reorder", outlet_id=outlet_id
        )
    try:
        review = max(1, min(28, int(request.GET.get("review") or replenishment.REVIEW_DAYS)))
    except ValueError:
        review = replenishment.REVIEW_DAYS
    plan = replenishment.reorder_plan(user=user, outlet_id=outlet_id, review_days=review)
    joint = replenishment.joint_suggestions(user=user, outlet_id=outlet_id, plan=plan)
    wanted = request.GET.get("product")
    shown = next((x for x in plan.lines if str(x.product_id) == wanted), None) or (
        plan.lines[0] if plan.lines else None
    )
    outlets = list(outlets_for(user))
    return render(
        request,
        "procurement/reorder.html",
        {
            "plan": plan,
            "joint": joint,
            "shown": shown,
            "chart": _chart(plan, shown),
            "outlet": next(o for o in outlets if o.pk == outlet_id),
            "outlets": outlets,
            "review": review,
        },
    )
