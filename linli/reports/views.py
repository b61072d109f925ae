"""The shop's report page: sales, margin, stock value and waste by day, product and outlet, with
charts and CSV downloads (`?download=day|product|outlet`)."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.models import User
from linli.reports.selectors import Report, Row, sales_report

MAX_DAYS = 366


def _period(request: HttpRequest) -> tuple[date, date]:
    today = timezone.localdate()
    try:
        end = date.fromisoformat(request.GET.get("end") or today.isoformat())
        start = date.fromisoformat(
            request.GET.get("start") or (end - timedelta(days=29)).isoformat()
        )
    except ValueError:
        end, start = today, today - timedelta(days=29)
    if start > end:
        start, end = end, start
    return max(start, end - timedelta(days=MAX_DAYS - 1)), end


def _yuan(fen: int | None) -> str:
    return "" if fen is None else f"{fen / 100:.2f}"


def _csv(report: Report, which: str) -> HttpResponse:
    rows = {"day": report.by_day, "product": report.by_product, "outlet": report.by_outlet}[which]
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(
        [
            which,
            "units",
            "revenue_yuan",
            "cost_yuan",
            "margin_yuan",
            "cost_coverage_pct",
            "waste_units",
            "waste_cost_yuan",
        ]
    )
    for r in rows:
        label = r.key.isoformat() if isinstance(r.key, date) else r.label
        w.writerow(
            [
                label,
                r.units,
                _yuan(r.revenue_fen),
                _yuan(r.cost_fen),
                _yuan(r.margin_fen),
                r.cost_coverage if r.cost_coverage is not None else "",
                r.waste_units,
                _yuan(r.waste_cost_fen),
            ]
        )
    response = HttpResponse("\ufeff" + buf.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"report-{which}-{report.start:%Y%m%d}-{report.end:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _charts(report: Report) -> dict[str, object]:
    days = [r.key.strftime("%m-%d") for r in report.by_day]  # type: ignore[attr-defined]
    top: list[Row] = report.by_product[:10][::-1]
    return {
        "daily": {
            "tooltip": {"trigger": "axis"},
            "legend": {"data": [_("Revenue (¥)"), _("Margin (¥)"), _("Waste at cost (¥)")]},
            "xAxis": {"type": "category", "data": days},
            "yAxis": {"type": "value"},
            "series": [
                {
                    "name": _("Revenue (¥)"),
                    "type": "bar",
                    "data": [r.revenue_fen / 100 for r in report.by_day],
                },
                {
                    "name": _("Margin (¥)"),
                    "type": "line",
                    "data": [(r.margin_fen or 0) / 100 for r in report.by_day],
                },
                {
                    "name": _("Waste at cost (¥)"),
                    "type": "line",
                    "data": [r.waste_cost_fen / 100 for r in report.by_day],
                },
            ],
        },
        "products": {
            "tooltip": {"trigger": "axis"},
            "grid": {"left": 120},
            "xAxis": {"type": "value"},
            "yAxis": {"type": "category", "data": [r.label for r in top]},
            "series": [
                {
                    "name": _("Revenue (¥)"),
                    "type": "bar",
                    "data": [r.revenue_fen / 100 for r in top],
                }
            ],
        },
    }


@login_required
def sales(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    start, end = _period(request)
    raw = request.GET.get("outlet") or ""
    outlet_id = int(raw) if raw.isdigit() else None
    report = sales_report(user=user, start=start, end=end, outlet_id=outlet_id)
    which = request.GET.get("download")
    if which in ("day", "product", "outlet"):
        return _csv(report, which)
    return render(
        request,
        "reports/sales.html",
        {
            "report": report,
            "charts": _charts(report),
            "outlet_id": outlet_id,
            "query": request.GET.urlencode(),
        },
    )
