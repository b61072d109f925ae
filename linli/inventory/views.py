"""The merchant's stock and lot page: on hand / claimed / available, lots by expiry, the ledger."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.accounts.models import User
from linli.catalog.models import Product
from linli.catalog.views_bulk import download
from linli.core.errors import LinliError
from linli.inventory import alerts, bulk, selectors, services
from linli.inventory.errors import InventoryError, InventoryErrorCode
from linli.inventory.models import StockMovement
from linli.shops.selectors import outlet_list_for_user

# Lots with at most this many days left are highlighted.
WARN_DAYS = 2


class ReceiveForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none())
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=services.RECEIVE_MAX)
    batch_no = forms.CharField(label=_("Batch"), max_length=40, required=False)
    expiry_date = forms.DateField(
        label=_("Expiry date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    origin = forms.CharField(label=_("Origin"), max_length=60, required=False)

    def __init__(self, *args: object, merchant_id: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["product"].queryset = Product.objects.filter(  # type: ignore[attr-defined]
            merchant_id=merchant_id, active=True
        ).order_by("name")
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "input")


@login_required
def stock_index(request: HttpRequest) -> HttpResponse:
    outlet = outlet_list_for_user(user=request.user).order_by("pk").first()  # type: ignore[arg-type]
    if outlet is None:
        raise InventoryError(InventoryErrorCode.NOT_YOUR_OUTLET)
    return redirect("inventory:stock", outlet_id=outlet.pk)


def _post(request: HttpRequest, user: User, outlet_id: int, merchant_id: int) -> ReceiveForm | None:
    action = request.POST.get("action")
    try:
        if action == "receive":
            form = ReceiveForm(request.POST, merchant_id=merchant_id)
            if not form.is_valid():
                return form
            d = form.cleaned_data
            outlet = next(o for o in outlet_list_for_user(user=user) if o.pk == outlet_id)
            lot = services.stock_receive(
                actor=user,
                outlet=outlet,
                product=d["product"],
                quantity=d["quantity"],
                batch_no=d["batch_no"],
                expiry_date=d["expiry_date"],
                origin=d["origin"],
            )
            messages.success(
                request,
                _("Received %(n)s × %(p)s.")
                % {"n": d["quantity"], "p": lot.stock_level.product.name},
            )
        elif action == "write_off":
            lot = selectors.lot_get_for_user(user=user, lot_id=int(request.POST.get("lot", "0")))
            expired = lot.expiry_date is not None and lot.expiry_date < timezone.localdate()
            services.stock_write_off(
                actor=user,
                lot=lot,
                quantity=int(request.POST.get("quantity") or 0),
                reason=StockMovement.Reason.WRITE_OFF_EXPIRED
                if expired
                else StockMovement.Reason.WRITE_OFF_DAMAGED,
            )
            messages.success(request, _("Written off."))
        elif action == "count":
            sl = selectors.stock_level_get_for_user(
                user=user, stock_level_id=int(request.POST.get("stock_level", "0"))
            )
            services.stock_count_adjust(
                actor=user, stock_level=sl, counted=int(request.POST.get("counted") or "x")
            )
            messages.success(request, _("Count saved."))
        elif action == "receive_file":
            upload = request.FILES.get("file")
            if upload is None:
                messages.error(request, _("Choose a file to import."))
                return None
            outlet = next(o for o in outlet_list_for_user(user=user) if o.pk == outlet_id)
            try:
                n = bulk.stock_import_receive(
                    actor=user, outlet=outlet, content=upload.read(), filename=upload.name or ""
                )
            except bulk.StockImportRejected as e:
                messages.error(request, e.message())
                for err in e.errors[:50]:
                    messages.error(request, f"{err.row} {err.column}: {err.message()}")
            else:
                messages.success(request, _("Received %(n)s lots from the file.") % {"n": n})
    except LinliError as e:
        messages.error(request, e.message())
    except ValueError:
        messages.error(request, _("Enter a whole number."))
    return None


@login_required
def stock(request: HttpRequest, outlet_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    rows = selectors.stock_list_for_user(user=user, outlet_id=outlet_id)  # tenancy check first
    outlets = list(outlet_list_for_user(user=user))
    outlet = next(o for o in outlets if o.pk == outlet_id)
    form = ReceiveForm(merchant_id=outlet.merchant_id)
    if request.method == "POST":
        bad = _post(request, user, outlet_id, outlet.merchant_id)
        if bad is None:
            return redirect("inventory:stock", outlet_id=outlet_id)
        form = bad
    lots = selectors.lots_for_outlet(user=user, outlet_id=outlet_id)
    try:
        days = max(0, min(60, int(request.GET.get("days") or alerts.EXPIRY_DAYS)))
    except ValueError:
        days = alerts.EXPIRY_DAYS
    expiring, low = alerts.alerts_for_user(user=user, outlet_id=outlet_id, days=days)
    moves = selectors.movements_for_outlet(user=user, outlet_id=outlet_id, limit=50)
    return render(
        request,
        "inventory/stock.html",
        {
            "outlet": outlet,
            "outlets": outlets,
            "rows": rows,
            "lots": lots,
            "moves": moves,
            "form": form,
            "warn_days": WARN_DAYS,
            "expiring": expiring,
            "low": low,
            "alert_days": days,
        },
    )


@login_required
def stock_export(request: HttpRequest, outlet_id: int, fmt: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if fmt not in ("xlsx", "csv"):
        raise InventoryError(InventoryErrorCode.STOCK_NOT_FOUND)
    content = bulk.stock_export(user=user, outlet_id=outlet_id, fmt=fmt)
    return download(content, fmt, f"stock-{outlet_id}-{timezone.localdate():%Y%m%d}")


@login_required
def receive_template(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("xlsx", "csv"):
        raise InventoryError(InventoryErrorCode.STOCK_NOT_FOUND)
    return download(bulk.receive_template(fmt), fmt, "linli-receive-template")
