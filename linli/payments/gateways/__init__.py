"""Gateway registry: slug → a gateway built from settings (`LINLI_PAYMENTS_*`).

Only slugs listed in `LINLI_PAYMENTS_GATEWAYS` are usable; anything else is `gateway_unknown`.
Another channel (or a test double) registers a factory with `gateway_register`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from linli.payments.errors import PaymentsError, PaymentsErrorCode
from linli.payments.gateways.base import Gateway

Factory = Callable[[], Gateway]
_factories: dict[str, Factory] = {}


def _key(value: str) -> str:
    """A key setting holds the PEM itself or a path to a PEM file."""
    value = (value or "").strip()
    if value and not value.startswith("-----BEGIN") and len(value) < 1024:
        path = Path(value)
        if path.is_file():
            return path.read_text()
    return value


def _sandbox() -> Gateway:
    from linli.payments.gateways.sandbox import SandboxConfig, SandboxGateway

    return SandboxGateway(SandboxConfig(secret=settings.LINLI_PAYMENTS_SANDBOX_SECRET))


def _wechat() -> Gateway:
    from linli.payments.gateways.wechat import WeChatConfig, WeChatGateway

    return WeChatGateway(
        WeChatConfig(
            appid=settings.LINLI_PAYMENTS_WECHAT_APPID,
            mchid=settings.LINLI_PAYMENTS_WECHAT_MCHID,
            private_key=_key(settings.LINLI_PAYMENTS_WECHAT_PRIVATE_KEY),
            cert_serial_no=settings.LINLI_PAYMENTS_WECHAT_CERT_SERIAL_NO,
            apiv3_key=settings.LINLI_PAYMENTS_WECHAT_APIV3_KEY,
            public_key=_key(settings.LINLI_PAYMENTS_WECHAT_PUBLIC_KEY),
            public_key_id=settings.LINLI_PAYMENTS_WECHAT_PUBLIC_KEY_ID,
            notify_url=settings.LINLI_PAYMENTS_WECHAT_NOTIFY_URL,
            mode=settings.LINLI_PAYMENTS_WECHAT_MODE,
        )
    )


def _alipay() -> Gateway:
    from linli.payments.gateways.alipay import AlipayConfig, AlipayGateway

    return AlipayGateway(
        AlipayConfig(
            appid=settings.LINLI_PAYMENTS_ALIPAY_APPID,
            app_private_key=_key(settings.LINLI_PAYMENTS_ALIPAY_APP_PRIVATE_KEY),
            alipay_public_key=_key(settings.LINLI_PAYMENTS_ALIPAY_PUBLIC_KEY),
            notify_url=settings.LINLI_PAYMENTS_ALIPAY_NOTIFY_URL,
            return_url=settings.LINLI_PAYMENTS_ALIPAY_RETURN_URL,
            sandbox=settings.LINLI_PAYMENTS_ALIPAY_SANDBOX,
        )
    )


_BUILTIN: dict[str, Factory] = {"sandbox": _sandbox, "wechat": _wechat, "alipay": _alipay}


def gateway_register(slug: str, factory: Factory | None) -> None:
    """Register (or, with None, remove) a gateway factory; it still has to be enabled in settings."""
    if factory is None:
        _factories.pop(slug, None)
    else:
        _factories[slug] = factory


def gateway_enabled(slug: str) -> bool:
    return slug in settings.LINLI_PAYMENTS_GATEWAYS and (slug in _factories or slug in _BUILTIN)


def gateway_get(slug: str) -> Gateway:
    if not gateway_enabled(slug):
        raise PaymentsError(PaymentsErrorCode.GATEWAY_UNKNOWN, gateway=slug)
    factory = _factories.get(slug) or _BUILTIN[slug]
    return factory()
