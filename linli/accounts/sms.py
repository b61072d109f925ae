"""SMS delivery backends. Production plugs in a carrier (Aliyun, Tencent Cloud) behind `send`."""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger("linli.sms")


class SmsBackend(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class ConsoleSmsBackend:
    """Prints the message: the demo's way of 'receiving' a code."""

    def send(self, phone: str, text: str) -> None:
        print(f"[SMS → {phone}] {text}", flush=True)
        log.info("sms to %s", phone)


class MemorySmsBackend:
    """Keeps messages in a list so tests can read the code a person would get."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        MemorySmsBackend.outbox.append((phone, text))


def get_backend() -> SmsBackend:
    backend: SmsBackend = import_string(settings.LINLI_SMS_BACKEND)()
    return backend
