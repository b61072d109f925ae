"""Reads for payments, filtered by who asks."""

from __future__ import annotations

from django.db.models import QuerySet

from linli.accounts.models import Role, User
from linli.payments.errors import PaymentsError, PaymentsErrorCode
from linli.payments.models import Payment


def payment_list_for_user(*, user: User) -> QuerySet[Payment]:
    """The payer sees their own payments; a platform admin sees all."""
    qs = Payment.objects.select_related("payer")
    if user.has_role(Role.PLATFORM_ADMIN):
        return qs
    return qs.filter(payer=user)


def payment_get_for_user(*, user: User, out_trade_no: str) -> Payment:
    payment = payment_list_for_user(user=user).filter(out_trade_no=out_trade_no).first()
    if payment is None:
        raise PaymentsError(PaymentsErrorCode.PAYMENT_NOT_FOUND)
    return payment


def payment_for_reference(*, reference: str) -> Payment | None:
    """The captured payment for a caller's reference, else the newest one (for orders)."""
    qs = Payment.objects.filter(reference=reference)
    return qs.filter(status=Payment.Status.CAPTURED).first() or qs.first()
