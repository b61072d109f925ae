"""Daily reconciliation: what was captured (Asia/Shanghai day) against what callers expected.

Callers own references ("checkout:42"); the amount they expect for each comes from a pluggable
lookup `expected_by_reference(references) -> {reference: amount_fen}`. Orders registers one with
`expected_lookup_register` in its AppConfig.ready(); a reference the lookup does not return is
"captured without a matching reference".
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from linli.core.money import format_fen
from linli.payments.models import Payment, Refund

SHANGHAI = ZoneInfo("Asia/Shanghai")
ExpectedLookup = Callable[[list[str]], dict[str, int]]
_lookups: list[ExpectedLookup] = []


def expected_lookup_register(lookup: ExpectedLookup) -> None:
    """Add a source of expected amounts (several callers may own different reference prefixes)."""
    if lookup not in _lookups:
        _lookups.append(lookup)


def expected_lookup_unregister(lookup: ExpectedLookup) -> None:
    if lookup in _lookups:
        _lookups.remove(lookup)


def _registered_lookup(references: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for lookup in _lookups:
        found.update(lookup(references))
    return found


@dataclass(frozen=True)
class CapturedLine:
    payment_id: int
    out_trade_no: str
    reference: str
    gateway: str
    amount_fen: int
    captured_at: str


@dataclass(frozen=True)
class Mismatch:
    reference: str
    out_trade_no: str
    captured_fen: int
    expected_fen: int


@dataclass(frozen=True)
class RefundLine:
    refund_id: int
    out_refund_no: str
    out_trade_no: str
    reference: str
    amount_fen: int
    completed_at: str


@dataclass
class Report:
    day: date
    lookup_configured: bool
    captured: list[CapturedLine] = field(default_factory=list)
    unmatched: list[CapturedLine] = field(default_factory=list)
    mismatches: list[Mismatch] = field(default_factory=list)
    duplicates: dict[str, int] = field(default_factory=dict)  # reference → captured payments
    refunds: list[RefundLine] = field(default_factory=list)

    @property
    def captured_fen(self) -> int:
        return sum(line.amount_fen for line in self.captured)

    @property
    def refunded_fen(self) -> int:
        return sum(line.amount_fen for line in self.refunds)

    @property
    def net_fen(self) -> int:
        return self.captured_fen - self.refunded_fen

    @property
    def clean(self) -> bool:
        return not (self.unmatched or self.mismatches or self.duplicates)

    def as_dict(self) -> dict:
        return {
            "day": self.day.isoformat(),
            "lookup_configured": self.lookup_configured,
            "totals": {
                "captured_count": len(self.captured),
                "captured_fen": self.captured_fen,
                "refund_count": len(self.refunds),
                "refunded_fen": self.refunded_fen,
                "net_fen": self.net_fen,
            },
            "unmatched": [asdict(x) for x in self.unmatched],
            "mismatches": [asdict(x) for x in self.mismatches],
            "duplicates": self.duplicates,
            "refunds": [asdict(x) for x in self.refunds],
            "captured": [asdict(x) for x in self.captured],
            "clean": self.clean,
        }

    def as_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2)

    def as_text(self) -> str:
        lines = [
            f"Reconciliation {self.day.isoformat()} (Asia/Shanghai)",
            f"  captured  {len(self.captured):>5}  {format_fen(self.captured_fen)}",
            f"  refunded  {len(self.refunds):>5}  {format_fen(self.refunded_fen)}",
            f"  net              {format_fen(self.net_fen)}",
        ]
        if not self.lookup_configured:
            lines.append("  (no expected-amount lookup registered: every capture is unmatched)")
        lines.append(f"Captured without a matching reference: {len(self.unmatched)}")
        lines += [
            f"  {x.out_trade_no}  {x.reference}  {format_fen(x.amount_fen)}" for x in self.unmatched
        ]
        lines.append(f"Amount mismatches: {len(self.mismatches)}")
        lines += [
            f"  {x.out_trade_no}  {x.reference}  captured {format_fen(x.captured_fen)}"
            f"  expected {format_fen(x.expected_fen)}"
            for x in self.mismatches
        ]
        lines.append(f"References captured more than once: {len(self.duplicates)}")
        lines += [f"  {ref}  ×{n}" for ref, n in sorted(self.duplicates.items())]
        lines.append(f"Refunds: {len(self.refunds)}")
        lines += [
            f"  {x.out_refund_no}  {x.out_trade_no}  {x.reference}  {format_fen(x.amount_fen)}"
            for x in self.refunds
        ]
        lines.append("OK" if self.clean else "NEEDS ATTENTION")
        return "\n".join(lines)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=SHANGHAI)
    return start, start + timedelta(days=1)


def reconciliation_report(
    *, day: date, expected_by_reference: ExpectedLookup | None = None
) -> Report:
    start, end = day_bounds(day)
    lookup = expected_by_reference or (_registered_lookup if _lookups else None)
    report = Report(day=day, lookup_configured=lookup is not None)
    payments = Payment.objects.filter(
        status=Payment.Status.CAPTURED, captured_at__gte=start, captured_at__lt=end
    ).order_by("captured_at", "pk")
    for p in payments:
        assert p.captured_at is not None
        report.captured.append(
            CapturedLine(
                payment_id=p.pk,
                out_trade_no=p.out_trade_no,
                reference=p.reference,
                gateway=p.gateway,
                amount_fen=p.amount_fen,
                captured_at=p.captured_at.astimezone(SHANGHAI).isoformat(),
            )
        )
    references = sorted({line.reference for line in report.captured})
    expected = lookup(references) if (lookup and references) else {}
    for line in report.captured:
        if line.reference not in expected:
            report.unmatched.append(line)
        elif expected[line.reference] != line.amount_fen:
            report.mismatches.append(
                Mismatch(
                    line.reference, line.out_trade_no, line.amount_fen, expected[line.reference]
                )
            )
    counts = Counter(
        Payment.objects.filter(
            status=Payment.Status.CAPTURED, reference__in=references
        ).values_list("reference", flat=True)
    )
    report.duplicates = {ref: n for ref, n in counts.items() if n > 1}
    refunds = (
        Refund.objects.filter(
            status=Refund.Status.SUCCEEDED, completed_at__gte=start, completed_at__lt=end
        )
        .select_related("payment")
        .order_by("completed_at", "pk")
    )
    for r in refunds:
        assert r.completed_at is not None
        report.refunds.append(
            RefundLine(
                refund_id=r.pk,
                out_refund_no=r.out_refund_no,
                out_trade_no=r.payment.out_trade_no,
                reference=r.payment.reference,
                amount_fen=r.amount_fen,
                completed_at=r.completed_at.astimezone(SHANGHAI).isoformat(),
            )
        )
    return report
