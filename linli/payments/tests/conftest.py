from __future__ import annotations

import socket

import pytest

from linli.accounts.models import Role
from linli.accounts.services import user_create
from linli.payments.tests.helpers import APIV3_KEY, PUBLIC_KEY_ID, rsa_keypair


@pytest.fixture(autouse=True)
def _sandbox_enabled(settings):
    """The sandbox is on by default only with DEBUG; these tests want it whatever the env says."""
    settings.LINLI_PAYMENTS_GATEWAYS = ["sandbox"]


@pytest.fixture
def payer(db):
    return user_create(phone="13900000011", display_name="付款人", roles=[Role.RESIDENT])


@pytest.fixture
def other(db):
    return user_create(phone="13900000012", display_name="路人", roles=[Role.RESIDENT])


@pytest.fixture
def admin_user(db):
    return user_create(
        phone="13900000013",
        display_name="管理员",
        roles=[Role.PLATFORM_ADMIN],
        password="admin-pass-1",
    )


@pytest.fixture(scope="session")
def keys() -> dict[str, str]:
    """Locally generated keys: WeChat platform + merchant, Alipay + app."""
    wx_platform_priv, wx_platform_pub = rsa_keypair()
    wx_merchant_priv, wx_merchant_pub = rsa_keypair()
    ali_priv, ali_pub = rsa_keypair()
    app_priv, app_pub = rsa_keypair()
    other_priv, other_pub = rsa_keypair()
    return {
        "wx_platform_priv": wx_platform_priv,
        "wx_platform_pub": wx_platform_pub,
        "wx_merchant_priv": wx_merchant_priv,
        "wx_merchant_pub": wx_merchant_pub,
        "ali_priv": ali_priv,
        "ali_pub": ali_pub,
        "app_priv": app_priv,
        "app_pub": app_pub,
        "other_priv": other_priv,
        "other_pub": other_pub,
    }


@pytest.fixture
def gateways_on(settings, keys):
    """Enable all three gateways with the local keys."""
    settings.LINLI_PAYMENTS_GATEWAYS = ["sandbox", "wechat", "alipay"]
    settings.LINLI_PAYMENTS_SANDBOX_SECRET = "sandbox-test-secret"
    settings.LINLI_PAYMENTS_WECHAT_APPID = "wx0000000000000001"
    settings.LINLI_PAYMENTS_WECHAT_MCHID = "1900000109"
    settings.LINLI_PAYMENTS_WECHAT_PRIVATE_KEY = keys["wx_merchant_priv"]
    settings.LINLI_PAYMENTS_WECHAT_CERT_SERIAL_NO = "5157F09EFDC096DE15EBE81A47057A72"
    settings.LINLI_PAYMENTS_WECHAT_APIV3_KEY = APIV3_KEY
    settings.LINLI_PAYMENTS_WECHAT_PUBLIC_KEY = keys["wx_platform_pub"]
    settings.LINLI_PAYMENTS_WECHAT_PUBLIC_KEY_ID = PUBLIC_KEY_ID
    settings.LINLI_PAYMENTS_WECHAT_NOTIFY_URL = (
        "https://linli.example/api/v1/payments/notify/wechat"
    )
    settings.LINLI_PAYMENTS_ALIPAY_APPID = "2021000000000001"
    settings.LINLI_PAYMENTS_ALIPAY_APP_PRIVATE_KEY = keys["app_priv"]
    settings.LINLI_PAYMENTS_ALIPAY_PUBLIC_KEY = keys["ali_pub"]
    settings.LINLI_PAYMENTS_ALIPAY_NOTIFY_URL = (
        "https://linli.example/api/v1/payments/notify/alipay"
    )
    return settings


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a network connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture
def captured_events():
    """Subscribe a recording handler to PaymentCaptured and RefundSucceeded."""
    from linli.core import events
    from linli.payments.events import PaymentCaptured, RefundSucceeded

    seen: list[object] = []
    handler = seen.append
    events.subscribe(PaymentCaptured, handler)
    events.subscribe(RefundSucceeded, handler)
    yield seen
    for t in (PaymentCaptured, RefundSucceeded):
        if handler in events._handlers[t]:
            events._handlers[t].remove(handler)
