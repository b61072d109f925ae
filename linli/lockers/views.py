"""Pages: the resident's lockers and parcels (mobile), the shop's deposits, the operator's
sites / occupancy / alarms / overdue and the cold-chain CSV, the property's parcel station
(desktop), and the kiosk on the cabinet's touch screen."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.accounts.models import User
from linli.accounts.notify import notifications_for
from linli.accounts.selectors import consent_is_granted
from linli.accounts.services import consent_set
from linli.community.models import Household
from linli.core.errors import LinliError
from linli.lockers import conf, selectors, services
from linli.lockers.errors import FeeDue
from linli.lockers.models import Cabinet
from linli.lockers.qr import qr_svg
from linli.lockers.services.common import sites_for_operator
from linli.lockers.services.station import CARRIERS


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


# --- resident ---------------------------------------------------------------------------


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    rule = conf.fee_rule()
    bookings = list(selectors.bookings_for_resident(resident=user)[:30])
    fees = selectors.fees_for_bookings(bookings=bookings)
    for b in bookings:
        b.fee = fees.get(b.pk)  # type: ignore[attr-defined]
    return render(
        request,
        "lockers/mine.html",
        {
            "bookings": bookings,
            "parcels": list(selectors.parcels_for_resident(resident=user)[:30]),
            "consent": consent_is_granted(user=user, kind="locker_deposit"),
            "notes": notifications_for(user=user, limit=10),
            "rule": rule,
            "keep_days": conf.keep_hours() // 24,
            "shown": request.session.pop("lockers_shown", None),
        },
    )


@login_required
@require_POST
def mine_action(request: HttpRequest, action: str, pk: int = 0) -> HttpResponse:
    user = _user(request)
    try:
        if action == "consent":
            granted = request.POST.get("granted") == "1"
            consent_set(user=user, kind="locker_deposit", granted=granted)
            messages.success(request, _("Your locker setting was saved."))
        elif action == "booking-code":
            b, code = services.booking_code_refresh(resident=user, booking_id=pk)
            request.session["lockers_shown"] = {
                "kind": "booking", "pk": b.pk, "code": code,
                "qr": qr_svg(services.qr_payload(b, code)),
            }  # fmt: skip
        elif action == "booking-pay":
            answer = services.charge_pay(
                resident=user, booking_id=pk, site_url=request.build_absolute_uri("/")
            )
            if not answer.paid and answer.pay_url.startswith(("http", "/")):
                return redirect(answer.pay_url)
            messages.success(request, _("Fee paid. Enter your code at the locker to open it."))
        elif action == "parcel-code":
            p, code = services.parcel_code_refresh(resident=user, parcel_id=pk)
            request.session["lockers_shown"] = {"kind": "parcel", "pk": p.pk, "code": code}
    except LinliError as e:
        messages.error(request, e.message())
    return redirect("lockers:mine")


# --- shop: deposits ---------------------------------------------------------------------


@login_required
def shop(request: HttpRequest) -> HttpResponse:
    bookings = list(selectors.bookings_for_shop(actor=_user(request)))
    return render(request, "lockers/shop.html", {"bookings": bookings})


@login_required
@require_POST
def shop_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    actor = _user(request)
    try:
        if action == "deposit":
            b = services.booking_deposit(
                actor=actor, booking_id=pk, compartment_label=request.POST.get("compartment", "")
            )
            messages.success(
                request, _("Deposited in compartment %(label)s.") % {"label": b.compartment.label}
            )
        elif action == "collect":
            services.booking_collect(actor=actor, booking_id=pk)
            messages.success(request, _("Collected."))
    except LinliError as e:
        messages.error(request, e.message())
    return redirect(request.POST.get("next") or "lockers:shop")


# --- operator -----------------------------------------------------------------------------


@login_required
def operator(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    rows = selectors.occupancy(actor=actor)
    sites = sorted({r["site"] for r in rows})  # type: ignore[type-var]
    series = []
    for zone, name in [
        ("ambient", _("Ambient")),
        ("chilled", _("Chilled")),
        ("frozen", _("Frozen")),
    ]:
        held = {r["site"]: r["held"] for r in rows if r["zone"] == zone}
        free = {r["site"]: r["free"] for r in rows if r["zone"] == zone}
        for _kind, data, label in [("held", held, _("in use")), ("free", free, _("free"))]:
            series.append(
                {
                    "name": f"{name} {label}",
                    "type": "bar",
                    "stack": zone,
                    "data": [data.get(s, 0) for s in sites],
                }
            )
    chart = {
        "tooltip": {"trigger": "axis"},
        "legend": {"type": "scroll"},
        "xAxis": {"type": "category", "data": sites},
        "yAxis": {"type": "value", "name": _("Compartments")},
        "series": series,
    }
    return render(
        request,
        "lockers/operator.html",
        {
            "sites": list(sites_for_operator(user=actor).order_by("kind", "name")),
            "rows": rows,
            "chart": chart,
            "alarms": list(selectors.alarms_for_operator(actor=actor)[:50]),
            "overdue": list(selectors.overdue_for_operator(actor=actor)[:50]),
        },
    )


@login_required
def readings_export(request: HttpRequest) -> HttpResponse:
    site = request.GET.get("site", "")
    qs = selectors.readings_for_operator(
        actor=_user(request), site_id=int(site) if site.isdigit() else None
    )
    response = HttpResponse(services.readings_csv(readings=qs), content_type="text/csv")
    stamp = timezone.localtime().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="cold-chain-log-{stamp}.csv"'
    return response


@login_required
@require_POST
def operator_collect(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.booking_collect(actor=_user(request), booking_id=pk)
        messages.success(request, _("Collected."))
    except LinliError as e:
        messages.error(request, e.message())
    return redirect("lockers:operator")


# --- property parcel station ---------------------------------------------------------------


@login_required
def station(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    stations = list(selectors.stations_for_operator(actor=actor))
    chosen = next((s for s in stations if str(s.pk) == request.GET.get("site")), None)
    site = chosen or (stations[0] if stations else None)
    if request.method == "POST" and site is not None:
        try:
            if request.POST.get("action") == "register":
                p = services.parcel_register(
                    actor=actor,
                    site_id=site.pk,
                    carrier=request.POST.get("carrier", ""),
                    tracking_no=request.POST.get("tracking_no", ""),
                    household_id=int(request.POST.get("household") or 0),
                    shelf=request.POST.get("shelf", ""),
                )
                messages.success(
                    request, _("Registered; the household was told.") + f" {p.tracking_no}"
                )
            else:
                p = services.parcel_hand_over(
                    actor=actor, site_id=site.pk, code=request.POST.get("code", "")
                )
                messages.success(
                    request, _("Hand over: shelf %(shelf)s") % {"shelf": p.shelf or "-"}
                )
        except LinliError as e:
            messages.error(request, e.message())
        return redirect(f"{request.path}?site={site.pk}")
    households: Any = []
    parcels: Any = []
    if site is not None:
        households = Household.objects.filter(building__community_id=site.community_id)
        households = households.select_related("building").order_by(
            "building__name", "unit", "room"
        )
        parcels = selectors.station_parcels(actor=actor, site_id=site.pk)
    return render(
        request,
        "lockers/station.html",
        {"stations": stations, "site": site, "households": households, "parcels": parcels,
         "carriers": CARRIERS},
    )  # fmt: skip


# --- kiosk ---------------------------------------------------------------------------------

KIOSK_SALT = "linli.lockers.kiosk"


def _paired(request: HttpRequest, cabinet: Cabinet) -> bool:
    value = request.COOKIES.get(f"kiosk-{cabinet.serial}", "")
    try:
        return signing.loads(value, salt=KIOSK_SALT) == cabinet.key_hash[:16]
    except signing.BadSignature:
        return False


def kiosk(request: HttpRequest, serial: str) -> HttpResponse:
    """The cabinet's touch screen: paired once with the cabinet key, then a keypad."""
    cabinet = get_object_or_404(Cabinet.objects.select_related("site"), serial=serial, active=True)
    ctx: dict[str, Any] = {"cabinet": cabinet, "paired": _paired(request, cabinet)}
    pair_cookie = ""
    if request.method == "POST":
        try:
            if request.POST.get("action") == "pair":
                services.cabinet_authenticate(
                    serial=serial, key=request.POST.get("key", ""), channel="kiosk"
                )
                cabinet.refresh_from_db()
                pair_cookie = signing.dumps(cabinet.key_hash[:16], salt=KIOSK_SALT)
                ctx["paired"] = True
            elif ctx["paired"]:
                ctx["opened"] = services.locker_open(
                    cabinet=cabinet,
                    code=request.POST.get("code", ""),
                    channel="kiosk",
                    site_url=request.build_absolute_uri("/"),
                )
        except FeeDue as e:
            ctx["fee"] = e
            ctx["rule"] = conf.fee_rule()
            ctx["pay_qr"] = qr_svg(e.pay_url) if e.pay_url else ""
        except LinliError as e:
            ctx["error"] = e.message()
    response = render(request, "lockers/kiosk.html", ctx)
    if pair_cookie:
        response.set_cookie(
            f"kiosk-{serial}",
            pair_cookie,
            max_age=3600 * 24 * 365,
            httponly=True,
            samesite="Strict",
        )
    return response
