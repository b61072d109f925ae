"""Tell a person something: an in-app notification, and an SMS when it must reach them now."""

from __future__ import annotations

from django.db import transaction

from linli.accounts.models import Notification, User
from linli.accounts.sms import get_backend


def notification_send(
    *, user: User, kind: str, title: str, body: str = "", url: str = "", sms: str = ""
) -> Notification:
    """Store the notification; send `sms` (which may carry a one-time code that is never
    stored) after the transaction commits, so a rolled-back action texts nobody."""
    note = Notification.objects.create(
        user=user, kind=kind[:40], title=title[:120], body=body, url=url[:200]
    )
    if sms and user.phone:
        phone = user.phone
        transaction.on_commit(lambda: get_backend().send(phone, sms))
    return note


def notifications_for(*, user: User, limit: int = 50) -> list[Notification]:
    return list(Notification.objects.filter(user=user)[:limit])
