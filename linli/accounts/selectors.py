from __future__ import annotations

from linli.accounts.models import Consent, ConsentRecord, Role, User

# The page a person lands on after login, by their most specific role.
ROLE_HOME_ORDER: list[tuple[str, str]] = [
    (Role.PLATFORM_ADMIN, "accounts:home_admin"),
    (Role.COMMERCE_OFFICIAL, "planning:home_official"),
    (Role.COMMUNITY_OFFICER, "planning:home_official"),
    (Role.PROPERTY_MANAGER, "community:home_property"),
    (Role.SHOP_OWNER, "shops:home"),
    (Role.SHOP_STAFF, "shops:home"),
    (Role.SUPPLIER, "shops:home"),
    (Role.COURIER, "delivery:courier"),
    (Role.SERVICE_WORKER, "shops:home_courier"),
    (Role.RESIDENT, "shops:home_resident"),
]


def user_home_url_name(*, user: User) -> str:
    roles = user.role_set()
    for role, url_name in ROLE_HOME_ORDER:
        if role in roles:
            return url_name
    return "shops:home_resident"


def consent_is_granted(*, user: User, kind: str) -> bool:
    """The newest record decides; no record means not granted (opt-in)."""
    latest = (
        ConsentRecord.objects.filter(user=user, kind=kind).order_by("-recorded_at", "-id").first()
    )
    return bool(latest and latest.granted)


def consent_states(*, user: User) -> dict[str, bool]:
    return {kind: consent_is_granted(user=user, kind=kind) for kind in Consent.values}
