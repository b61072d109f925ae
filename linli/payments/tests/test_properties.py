"""Property: whatever sequence of partial refunds is asked for, the refunded total never exceeds
the captured amount, and a refund is refused exactly when it would."""

from __future__ import annotations

import pytest
from django.conf import settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from linli.payments import services
from linli.payments.errors import PaymentsError
from linli.payments.gateways.sandbox import sandbox_notification
from linli.payments.models import Payment, Refund

pytestmark = pytest.mark.django_db


@hsettings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    amount=st.integers(min_value=1, max_value=100_000),
    asks=st.lists(
        st.tuples(
            st.integers(min_value=-5, max_value=60_000), st.integers(min_value=0, max_value=6)
        ),
        max_size=12,
    ),
)
def test_refunds_never_exceed_the_captured_amount(payer, amount, asks):
    n = Payment.objects.count()
    p = services.payment_create(
        payer=payer, amount_fen=amount, reference=f"r{n}", subject="s", idempotency_key=f"k{n}"
    )
    headers, body = sandbox_notification(
        settings.LINLI_PAYMENTS_SANDBOX_SECRET, out_trade_no=p.out_trade_no, amount_fen=amount
    )
    services.payment_notify(gateway="sandbox", headers=headers, body=body)
    model: dict[str, int] = {}  # key → amount of the refund that key made
    for ask, key_no in asks:
        key = f"key{key_no}"
        before = sum(model.values())
        try:
            r = services.refund_create(payment=p, amount_fen=ask, reason="", idempotency_key=key)
        except PaymentsError as e:
            if ask <= 0:  # checked before the key is looked up
                assert e.spec.code == "amount_invalid"
            else:
                assert key not in model
                assert e.spec.code == "refund_exceeds" and before + ask > amount
            continue
        if key in model:
            assert r.amount_fen == model[key]  # same key, same refund
        else:
            assert ask > 0 and before + ask <= amount
            model[key] = ask
        p.refresh_from_db()
        assert p.refunded_fen == sum(model.values()) <= amount
    succeeded = sum(
        Refund.objects.filter(payment=p, status="succeeded").values_list("amount_fen", flat=True)
    )
    p.refresh_from_db()
    assert succeeded == p.refunded_fen == sum(model.values()) <= amount
