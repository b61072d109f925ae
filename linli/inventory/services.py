"""Writes for inventory: the claim contract orders call, receiving, write-offs, counts, lot expiry.

Capacity is claimed, never checked-then-written: `stock_claim` is one conditional UPDATE
(`claimed = claimed + n WHERE on_hand - claimed >= n`) and the CheckConstraint
`claimed <= on_hand` is the backstop. All functions run inside the caller's transaction
(`@transaction.atomic` nests as a savepoint). Row locks, when taken, follow one order:
claim row → stock level → its lots (by FEFO order). A caller claiming several lines should claim
them sorted by (outlet_id, product_id).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.backends.utils import CursorWrapper
from django.db.models import F, Q
from django.utils import timezone

from linli.accounts.models import User
from linli.catalog.models import Product
from linli.catalog.permissions import can_manage_outlet
from linli.core.sql import hot_cursor, update_rows
from linli.inventory.errors import InventoryError, InventoryErrorCode
from linli.inventory.models import Lot, StockClaim, StockLevel, StockMovement
from linli.shops.models import Outlet

CLAIM_MAX = 999
RECEIVE_MAX = 100_000
Reason = StockMovement.Reason
ACTIVE = StockClaim.Status.ACTIVE

# First expiry first out; lots without an expiry date go last, then the oldest receipt.
FEFO = (F("expiry_date").asc(nulls_last=True), "received_at", "pk")


@dataclass(frozen=True)
class LotPick:
    """Which lot went into which order line at hand-over (for origin and batch on the order)."""

    ref: str
    claim_id: int
    product_id: int
    lot_id: int
    batch_no: str
    expiry_date: date | None
    production_date: date | None
    origin: str
    quantity: int


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_quantity(quantity: object, high: int) -> int:
    if not _is_int(quantity) or not 1 <= quantity <= high:  # type: ignore[operator]
        raise InventoryError(
            InventoryErrorCode.INVALID_QUANTITY, low=1, high=high, quantity=quantity
        )
    return quantity  # type: ignore[return-value]


def _require_outlet(actor: User | None, outlet_id: int) -> None:
    if not can_manage_outlet(actor=actor, outlet_id=outlet_id):
        raise InventoryError(InventoryErrorCode.NOT_YOUR_OUTLET)


def _move(
    stock_level_id: int,
    reason: str,
    quantity: int,
    *,
    lot: Lot | None,
    actor: User | None,
    ref: str,
) -> StockMovement:
    return StockMovement.objects.create(
        stock_level_id=stock_level_id,
        reason=reason,
        quantity=quantity,
        lot=lot,
        actor=actor,
        ref=ref,
    )


def _lock(stock_level_id: int) -> StockLevel:
    return StockLevel.objects.select_for_update().select_related("product").get(pk=stock_level_id)


def _write_off_expired(stock_level_id: int, *, today: date, actor: User | None = None) -> int:
    """Write off lots past their expiry date or recalled; returns units written off. Idempotent.

    Units already claimed stay (they are on_hand, held by a claim) until the claim is released or
    committed; that leaves nothing available, so expired stock is never sellable, and the commit
    skips expired lots (LOT_EXPIRED if only those are left).
    """
    expired = list(
        Lot.objects.filter(stock_level_id=stock_level_id, quantity_remaining__gt=0)
        .filter(Q(expiry_date__lt=today) | Q(recalled_at__isnull=False))
        .values_list("pk", flat=True)
    )
    if not expired:
        return 0
    sl = _lock(stock_level_id)
    writable = sl.on_hand - sl.claimed
    total = 0
    for lot in Lot.objects.filter(pk__in=expired, quantity_remaining__gt=0).order_by(*FEFO):
        if writable <= 0:
            break
        q = min(lot.quantity_remaining, writable)
        if not Lot.objects.filter(pk=lot.pk, quantity_remaining__gte=q).update(
            quantity_remaining=F("quantity_remaining") - q
        ):
            continue
        StockLevel.objects.filter(pk=stock_level_id, on_hand__gte=F("claimed") + q).update(
            on_hand=F("on_hand") - q
        )
        recalled = lot.recalled_at is not None
        _move(
            stock_level_id,
            Reason.RECALL if recalled else Reason.WRITE_OFF_EXPIRED,
            -q,
            lot=lot,
            actor=actor,
            ref=f"recall:{lot.batch_no}"[:60] if recalled else f"expired:{lot.expiry_date}",
        )
        writable -= q
        total += q
    return total


# --- the claim contract (orders) -------------------------------------------------------------


@dataclass(frozen=True)
class ClaimRequest:
    """One line to hold: `quantity` units of a product at an outlet, for `ref`."""

    outlet_id: int
    product_id: int
    quantity: int
    ref: str


def _check_ref(ref: str) -> str:
    ref = (ref or "").strip()
    if not ref or len(ref) > 60:
        raise InventoryError(
            InventoryErrorCode.INVALID_QUANTITY, low=1, high=CLAIM_MAX, quantity=ref
        )
    return ref


def stock_claim(
    *, outlet_id: int, product_id: int, quantity: int, ref: str, expires_at: datetime
) -> StockClaim:
    """Hold `quantity` units for `ref` (e.g. "order-line:57") until `expires_at` or release/commit.

    One conditional UPDATE; units of expired or recalled lots count as not there. If no row
    qualifies → OUT_OF_STOCK naming what is left, and the stale lots are written off in their own
    savepoint, so that sticks even when the claim fails (unless the caller's transaction rolls
    back; releases and the nightly `lots_expire` catch those).
    """
    request = ClaimRequest(outlet_id, product_id, quantity, ref)
    return stock_claims_create(requests=[request], expires_at=expires_at)[0]


def stale_units_sql(level: str, day: str) -> str:
    """SQL for the units of stock level `level` (a table or alias) in lots past their expiry
    date on `day` (a placeholder) or recalled, not yet written off: a claim counts them as not
    there, so it never needs a separate look at the lots. Both claim statements use it
    (`_claim_sql` here, `claim_cte` on PostgreSQL)."""
    lot = Lot._meta.db_table
    return (
        f'COALESCE((SELECT SUM(l."quantity_remaining") FROM "{lot}" l'
        f' WHERE l."stock_level_id" = {level}."id" AND l."quantity_remaining" > 0'
        f' AND (l."expiry_date" < {day} OR l."recalled_at" IS NOT NULL)), 0)'
    )


def _claim_sql() -> str:
    """One conditional UPDATE per line, returning the stock level it claimed from.
    Portable: SQLite ≥ 3.35 and PostgreSQL."""
    sl = StockLevel._meta.db_table
    stale = stale_units_sql(f'"{sl}"', "%s")
    return (
        f'UPDATE "{sl}" SET "claimed" = "claimed" + %s'
        ' WHERE "outlet_id" = %s AND "product_id" = %s'
        f' AND "on_hand" - "claimed" - {stale} >= %s RETURNING "id"'
    )


def _unclaim(held: list[tuple[int, int]]) -> None:
    """Give back increments made earlier in this transaction (their rows are still ours)."""
    for sl_id, quantity in held:
        StockLevel.objects.filter(pk=sl_id).update(claimed=F("claimed") - quantity)


def stock_claims_create(*, requests: list[ClaimRequest], expires_at: datetime) -> list[StockClaim]:
    """Hold several lines at once, all or nothing (a checkout's lines), in (outlet, product) order.

    Each line is claimed by one conditional UPDATE (`claimed = claimed + n WHERE on_hand - claimed
    - expired or recalled units >= n`, see `_claim_sql`) with the CheckConstraint as backstop,
    then one INSERT holds every claim: n + 1 statements, no savepoint. A line that cannot be had
    gives back what the earlier lines took (the transaction stays usable), writes off the stale
    lots of its stock level (their own savepoint, as in `stock_claim`) and raises OUT_OF_STOCK.
    A ref that already has an active claim raises CLAIM_DUPLICATE; inside a caller's transaction
    that transaction is then spoiled (refs come from new order lines: a programming error).
    Returns the claims in the order of `requests`.
    """
    checked = [
        ClaimRequest(
            r.outlet_id, r.product_id, _check_quantity(r.quantity, CLAIM_MAX), _check_ref(r.ref)
        )
        for r in requests
    ]
    if not checked:
        return []
    seen: set[str] = set()
    for r in checked:
        if r.ref in seen:
            raise InventoryError(InventoryErrorCode.CLAIM_DUPLICATE, ref=r.ref)
        seen.add(r.ref)
    today = timezone.localdate()
    connection = transaction.get_connection()
    day = connection.ops.adapt_datefield_value(today)
    sql = _claim_sql()
    order = sorted(range(len(checked)), key=lambda i: (checked[i].outlet_id, checked[i].product_id))
    claims: list[StockClaim | None] = [None] * len(checked)
    short: ClaimRequest | None = None
    duplicate: str | None = None
    taken: list[tuple[int, int]] = []
    # savepoint=False: alone, a transaction of its own; inside the caller's, no savepoint (a
    # shortfall or a duplicate gives back what was taken, so that transaction stays usable)
    with transaction.atomic(savepoint=False), hot_cursor(connection.alias) as cursor:
        for i in order:
            r = checked[i]
            cursor.execute(sql, [r.quantity, r.outlet_id, r.product_id, day, r.quantity])
            row = cursor.fetchone()
            if row is None:
                short = r
                break
            taken.append((row[0], r.quantity))
            claims[i] = StockClaim(
                stock_level_id=row[0], quantity=r.quantity, ref=r.ref, expires_at=expires_at
            )
        held = [c for c in claims if c is not None]
        if short is None:
            duplicate = _insert_claims(cursor, held)
        if short is not None or duplicate is not None:
            _unclaim(taken)
    if duplicate is not None:
        raise InventoryError(InventoryErrorCode.CLAIM_DUPLICATE, ref=duplicate)
    if short is not None:
        level = StockLevel.objects.filter(outlet_id=short.outlet_id, product_id=short.product_id)
        sl_id = level.values_list("pk", flat=True).first()
        if sl_id is not None:
            with transaction.atomic():
                _write_off_expired(sl_id, today=today)
        raise _out_of_stock(short)
    return held


def _insert_claims(cursor: CursorWrapper, claims: list[StockClaim]) -> str | None:
    """One INSERT of every claim. A ref that already has an active claim is skipped (ON CONFLICT
    DO NOTHING on the partial unique index) and returned, so that the caller can give the units
    back without a savepoint. Sets the claims' pks."""
    ops = cursor.db.ops
    now = timezone.now()
    rows, params = [], []
    for c in claims:
        c.created_at = now
        rows.append("(%s, %s, %s, %s, %s, %s)")
        params += [
            c.stock_level_id,
            c.quantity,
            c.ref,
            ops.adapt_datetimefield_value(c.expires_at),
            ACTIVE.value,
            ops.adapt_datetimefield_value(now),
        ]
    table = StockClaim._meta.db_table
    cursor.execute(
        f'INSERT INTO "{table}" ("stock_level_id", "quantity", "ref", "expires_at", "status", '
        f'"created_at") VALUES {", ".join(rows)} ON CONFLICT DO NOTHING RETURNING "id", "ref"',
        params,
    )
    ids = {ref: pk for pk, ref in cursor.fetchall()}
    for c in claims:
        c.pk = ids.get(c.ref)
    return next((c.ref for c in claims if c.pk is None), None)


def stock_shortfall(outlet_id: int, product_id: int, quantity: int) -> InventoryError:
    """The error for a line whose claim found too little (OUT_OF_STOCK naming what is left), for
    a caller that claimed in a statement of its own (`claim_cte`)."""
    return _out_of_stock(ClaimRequest(outlet_id, product_id, quantity, ""))


def _out_of_stock(r: ClaimRequest) -> InventoryError:
    row = (
        StockLevel.objects.filter(outlet_id=r.outlet_id, product_id=r.product_id)
        .values("on_hand", "claimed")
        .first()
    )
    name = Product.objects.filter(pk=r.product_id).values_list("name", flat=True).first()
    if name is None:
        return InventoryError(InventoryErrorCode.PRODUCT_NOT_FOUND)
    left = max(0, row["on_hand"] - row["claimed"]) if row else 0
    return InventoryError(
        InventoryErrorCode.OUT_OF_STOCK, product=name, wanted=r.quantity, left=left
    )


def _release(claims: list[StockClaim], now: datetime) -> int:
    """Give the units back; expired or recalled lots they were holding on to go at once (claims
    count such units out but do not write them off, see `_claim_sql`)."""
    released = 0
    levels: set[int] = set()
    for c in sorted(claims, key=lambda c: (c.stock_level_id, c.pk)):
        if StockClaim.objects.filter(pk=c.pk, status=ACTIVE).update(
            status=StockClaim.Status.RELEASED, closed_at=now
        ):
            StockLevel.objects.filter(pk=c.stock_level_id).update(claimed=F("claimed") - c.quantity)
            levels.add(c.stock_level_id)
            released += 1
    today = timezone.localdate()
    for sl_id in sorted(levels):
        _write_off_expired(sl_id, today=today)
    return released


@transaction.atomic
def stock_claims_release(*, refs: list[str]) -> int:
    """Give back held units (order cancelled, cart emptied). Releasing twice does nothing."""
    claims = list(StockClaim.objects.filter(ref__in=list(refs), status=ACTIVE))
    return _release(claims, timezone.now())


@transaction.atomic
def stock_claims_expire(*, now: datetime | None = None) -> int:
    """Release active claims whose `expires_at` has passed (the job); returns how many."""
    now = now or timezone.now()
    claims = list(StockClaim.objects.filter(status=ACTIVE, expires_at__lt=now))
    return _release(claims, now)


def stock_claims_extend(*, refs: list[str], expires_at: datetime | None) -> int:
    """Move the expiry of active claims (e.g. None once the order is paid: held until hand-over).

    One UPDATE, atomic by itself: no savepoint needed."""
    return update_rows(StockClaim, {"expires_at": expires_at}, ref=list(refs), status=ACTIVE.value)


@transaction.atomic
def stock_claims_commit(
    *, refs: list[str], actor: User | None = None, today: date | None = None
) -> list[LotPick]:
    """Hand-over: active claims → committed, on_hand and claimed go down, lots picked FEFO.

    Expired lots are never picked (LOT_EXPIRED if only those are left). Committing twice does
    nothing the second time (returns no picks for refs already committed).
    """
    day = _today(today)
    now = timezone.now()
    claims = list(
        StockClaim.objects.filter(ref__in=list(refs), status=ACTIVE).order_by(
            "stock_level_id", "pk"
        )
    )
    picks: list[LotPick] = []
    for c in claims:
        if not StockClaim.objects.filter(pk=c.pk, status=ACTIVE).update(
            status=StockClaim.Status.COMMITTED, closed_at=now
        ):
            continue
        sl = _lock(c.stock_level_id)
        lots = (
            Lot.objects.select_for_update()
            .filter(stock_level_id=sl.pk, quantity_remaining__gt=0, recalled_at__isnull=True)
            .filter(Q(expiry_date__gte=day) | Q(expiry_date__isnull=True))
            .order_by(*FEFO)
        )
        need = c.quantity
        for lot in lots:
            if need == 0:
                break
            take = min(need, lot.quantity_remaining)
            Lot.objects.filter(pk=lot.pk).update(quantity_remaining=F("quantity_remaining") - take)
            _move(sl.pk, Reason.SALE, -take, lot=lot, actor=actor, ref=c.ref)
            picks.append(
                LotPick(
                    ref=c.ref,
                    claim_id=c.pk,
                    product_id=sl.product_id,
                    lot_id=lot.pk,
                    batch_no=lot.batch_no,
                    expiry_date=lot.expiry_date,
                    production_date=lot.production_date,
                    origin=lot.origin,
                    quantity=take,
                )
            )
            need -= take
        if need:
            if Lot.objects.filter(stock_level_id=sl.pk, recalled_at__isnull=False).exists():
                raise InventoryError(InventoryErrorCode.LOT_RECALLED, product=sl.product.name)
            raise InventoryError(InventoryErrorCode.LOT_EXPIRED, product=sl.product.name)
        StockLevel.objects.filter(pk=sl.pk).update(
            on_hand=F("on_hand") - c.quantity, claimed=F("claimed") - c.quantity
        )
    return picks


# --- the merchant's side ---------------------------------------------------------------------


@transaction.atomic
def stock_receive(
    *,
    actor: User | None,
    outlet: Outlet,
    product: Product,
    quantity: int,
    batch_no: str,
    expiry_date: date | None,
    origin: str = "",
    production_date: date | None = None,
    today: date | None = None,
) -> Lot:
    """Goods in: a new lot, on_hand up, a `receive` movement."""
    _require_outlet(actor, outlet.pk)
    if product.merchant_id != outlet.merchant_id:
        raise InventoryError(InventoryErrorCode.PRODUCT_NOT_FOUND)
    quantity = _check_quantity(quantity, RECEIVE_MAX)
    if expiry_date is not None and expiry_date < _today(today):
        raise InventoryError(InventoryErrorCode.EXPIRY_PAST, date=expiry_date.isoformat())
    sl, _ = StockLevel.objects.get_or_create(outlet=outlet, product=product)
    lot = Lot.objects.create(
        stock_level=sl,
        batch_no=(batch_no or "").strip()[:40] or timezone.localdate().strftime("%Y%m%d"),
        expiry_date=expiry_date,
        production_date=production_date,
        origin=origin or product.origin,
        quantity_received=quantity,
        quantity_remaining=quantity,
    )
    StockLevel.objects.filter(pk=sl.pk).update(on_hand=F("on_hand") + quantity)
    _move(sl.pk, Reason.RECEIVE, quantity, lot=lot, actor=actor, ref=f"lot:{lot.pk}")
    return lot


@transaction.atomic
def stock_write_off(
    *, actor: User | None, lot: Lot, quantity: int, reason: str, ref: str = ""
) -> StockMovement:
    """Take units of a lot out of stock (expired or damaged). Never below what orders hold."""
    sl = _lock(lot.stock_level_id)
    _require_outlet(actor, sl.outlet_id)
    if reason not in (Reason.WRITE_OFF_EXPIRED, Reason.WRITE_OFF_DAMAGED):
        raise InventoryError(InventoryErrorCode.REASON_INVALID, reason=reason)
    lot.refresh_from_db(fields=["quantity_remaining"])
    quantity = _check_quantity(quantity, max(1, lot.quantity_remaining))
    if quantity > lot.quantity_remaining:
        raise InventoryError(
            InventoryErrorCode.INVALID_QUANTITY,
            low=1,
            high=lot.quantity_remaining,
            quantity=quantity,
        )
    if sl.on_hand - quantity < sl.claimed:
        raise InventoryError(InventoryErrorCode.STOCK_CLAIMED, claimed=sl.claimed)
    Lot.objects.filter(pk=lot.pk).update(quantity_remaining=F("quantity_remaining") - quantity)
    StockLevel.objects.filter(pk=sl.pk).update(on_hand=F("on_hand") - quantity)
    return _move(sl.pk, reason, -quantity, lot=lot, actor=actor, ref=ref)


@transaction.atomic
def stock_return(*, actor: User | None, lot: Lot, quantity: int, ref: str = "") -> StockMovement:
    """Goods back into a lot (a resident returned them unopened). Not into an expired lot."""
    sl = _lock(lot.stock_level_id)
    _require_outlet(actor, sl.outlet_id)
    quantity = _check_quantity(quantity, RECEIVE_MAX)
    if lot.expiry_date is not None and lot.expiry_date < timezone.localdate():
        raise InventoryError(InventoryErrorCode.LOT_EXPIRED, product=sl.product.name)
    lot.refresh_from_db(fields=["recalled_at"])
    if lot.recalled_at is not None:
        raise InventoryError(InventoryErrorCode.LOT_RECALLED, product=sl.product.name)
    Lot.objects.filter(pk=lot.pk).update(quantity_remaining=F("quantity_remaining") + quantity)
    StockLevel.objects.filter(pk=sl.pk).update(on_hand=F("on_hand") + quantity)
    return _move(sl.pk, Reason.RETURN, quantity, lot=lot, actor=actor, ref=ref)


@transaction.atomic
def stock_count_adjust(
    *, actor: User | None, stock_level: StockLevel, counted: int, today: date | None = None
) -> list[StockMovement]:
    """Set on_hand to what was counted. Shrinkage comes out of lots first-expiry-first; a surplus
    goes into the freshest lot (or a new count lot). Never below what orders hold."""
    sl = _lock(stock_level.pk)
    _require_outlet(actor, sl.outlet_id)
    if not _is_int(counted) or counted < 0:
        raise InventoryError(
            InventoryErrorCode.INVALID_QUANTITY, low=0, high=RECEIVE_MAX, quantity=counted
        )
    if counted < sl.claimed:
        raise InventoryError(InventoryErrorCode.STOCK_CLAIMED, claimed=sl.claimed)
    day = _today(today)
    delta = counted - sl.on_hand
    moves: list[StockMovement] = []
    ref = f"count:{day.isoformat()}"
    if delta < 0:
        need = -delta
        for lot in (
            Lot.objects.select_for_update()
            .filter(stock_level_id=sl.pk, quantity_remaining__gt=0)
            .order_by(*FEFO)
        ):
            if need == 0:
                break
            take = min(need, lot.quantity_remaining)
            Lot.objects.filter(pk=lot.pk).update(quantity_remaining=F("quantity_remaining") - take)
            moves.append(_move(sl.pk, Reason.COUNT_ADJUST, -take, lot=lot, actor=actor, ref=ref))
            need -= take
    elif delta > 0:
        target = (
            Lot.objects.filter(stock_level_id=sl.pk, recalled_at__isnull=True)
            .filter(Q(expiry_date__gte=day) | Q(expiry_date__isnull=True))
            .order_by(F("expiry_date").desc(nulls_first=True), "-received_at", "-pk")
            .first()
        )
        if target is None:
            days = sl.product.shelf_life_days
            target = Lot.objects.create(
                stock_level=sl,
                batch_no=f"COUNT-{day:%Y%m%d}",
                expiry_date=day + timedelta(days=days) if days else None,
                origin=sl.product.origin,
                quantity_received=0,
                quantity_remaining=0,
            )
        Lot.objects.filter(pk=target.pk).update(quantity_remaining=F("quantity_remaining") + delta)
        moves.append(_move(sl.pk, Reason.COUNT_ADJUST, delta, lot=target, actor=actor, ref=ref))
    if delta:
        StockLevel.objects.filter(pk=sl.pk).update(on_hand=counted)
    return moves


def lots_expire(*, today: date | None = None) -> int:
    """Write off expired and recalled lots everywhere (the nightly job); returns units written off."""
    day = _today(today)
    ids = (
        Lot.objects.filter(quantity_remaining__gt=0)
        .filter(Q(expiry_date__lt=day) | Q(recalled_at__isnull=False))
        .values_list("stock_level_id", flat=True)
        .distinct()
        .order_by("stock_level_id")
    )
    total = 0
    for sl_id in list(ids):
        with transaction.atomic():
            total += _write_off_expired(sl_id, today=day)
    return total
