"""Celery tasks: the sandbox "platform" delivering its notification, closing unpaid payments.

Without a broker (the demo, tests) Celery runs these eagerly, in-process.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request

from celery import shared_task
from django.conf import settings

from linli.payments.errors import PaymentsError
from linli.payments.gateways.sandbox import sandbox_notification
from linli.payments.models import Payment

log = logging.getLogger("linli.payments")


@shared_task(bind=True, max_retries=5, default_retry_delay=5)
def sandbox_deliver_notification(self, out_trade_no: str, paid: bool = True) -> str:  # type: ignore[no-untyped-def]
    """Sign and deliver the sandbox's asynchronous notification for a confirmed payment.

    With LINLI_PAYMENTS_SANDBOX_NOTIFY_URL set, POST it there over HTTP (like a real gateway);
    otherwise hand the same headers and body to the notify service the endpoint calls.
    """
    from linli.payments.services import payment_notify

    payment = Payment.objects.filter(out_trade_no=out_trade_no, gateway="sandbox").first()
    if payment is None:
        return "payment_not_found"
    headers, body = sandbox_notification(
        settings.LINLI_PAYMENTS_SANDBOX_SECRET,
        out_trade_no=out_trade_no,
        amount_fen=payment.amount_fen,
        paid=paid,
    )
    url = settings.LINLI_PAYMENTS_SANDBOX_NOTIFY_URL
    if url:
        request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return str(response.status)
        except urllib.error.HTTPError as e:
            log.warning("sandbox notify to %s answered %s", url, e.code)
            if e.code >= 500:
                raise self.retry(exc=e) from e
            return str(e.code)
        except urllib.error.URLError as e:
            raise self.retry(exc=e) from e
    try:
        payment_notify(gateway="sandbox", headers=headers, body=body.encode())
    except PaymentsError as e:
        return e.spec.code
    return "ok"


@shared_task
def payments_close_expired_task() -> int:
    from linli.payments.services import payments_close_expired

    return payments_close_expired()
