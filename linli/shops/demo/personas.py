"""Demo accounts, one per role, with fixed phone numbers (13800000001…).

The resident logs in with an SMS code (the console backend prints it); everyone else also has
the password `DEMO_PASSWORD`. Found again by phone on a second run, so loading is idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from linli.accounts.models import Role, User
from linli.accounts.services import role_grant, user_create
from linli.community.models import Building, Community, CommunityStaff, Household, HouseholdMember
from linli.shops.models import Membership, Merchant

DEMO_PASSWORD = "linli-demo"
HOME_BUILDING_NAME = "望京西园三区 3 号楼"


@dataclass(frozen=True)
class Persona:
    role: str
    name: str
    phone: str
    note: str
    password: str | None = DEMO_PASSWORD


PERSONAS: tuple[Persona, ...] = (
    Persona(Role.RESIDENT, "王芳", "13800000001", "住 望京西园三区 3 号楼 2 单元 1503", None),
    Persona(Role.SHOP_OWNER, "李建国", "13800000002", "邻家便利 店主"),
    Persona(Role.SHOP_STAFF, "张丽", "13800000003", "望京鲜果蔬菜店 店员"),
    Persona(Role.SUPPLIER, "赵强", "13800000004", "京郊蔬菜基地 供应商"),
    Persona(Role.SERVICE_WORKER, "刘秀英", "13800000005", "家政服务人员"),
    Persona(Role.COURIER, "陈晓东", "13800000006", "配送员"),
    Persona(Role.PROPERTY_MANAGER, "孙伟", "13800000007", "望京西园物业"),
    Persona(Role.COMMUNITY_OFFICER, "周敏", "13800000008", "社区居委会"),
    Persona(Role.COMMERCE_OFFICIAL, "吴静", "13800000009", "朝阳区商务局"),
    Persona(Role.PLATFORM_ADMIN, "郑涛", "13800000010", "平台管理员"),
)


def _user(p: Persona) -> User:
    user = User.objects.filter(phone=p.phone).first()
    if user is None:
        user = user_create(phone=p.phone, display_name=p.name, roles=[p.role], password=p.password)
    else:
        role_grant(user=user, role=p.role)
    if p.role == Role.PLATFORM_ADMIN and not (user.is_staff and user.is_superuser):
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    return user


def home_building(community: Community) -> Building:
    """The resident's home: the residential building nearest the community's centre."""
    named = Building.objects.filter(community=community, name=HOME_BUILDING_NAME).first()
    if named is not None:
        return named
    homes = Building.objects.filter(community=community, residential=True)
    b = min(
        homes,
        key=lambda b: (b.lat - community.center_lat) ** 2 + (b.lon - community.center_lon) ** 2,
    )
    if not b.name:
        b.name = HOME_BUILDING_NAME
        b.save(update_fields=["name"])
    return b


def _merchant(merchants: list[Merchant], name: str) -> Merchant | None:
    return next((m for m in merchants if m.name == name), None)


@transaction.atomic
def demo_personas_create(
    *, community: Community, merchants: list[Merchant]
) -> list[tuple[Persona, User]]:
    out = []
    for p in PERSONAS:
        user = _user(p)
        out.append((p, user))
        if p.role == Role.RESIDENT:
            home, _ = Household.objects.get_or_create(
                building=home_building(community), unit="2", room="1503"
            )
            HouseholdMember.objects.get_or_create(
                household=home, user=user, defaults={"is_primary": True}
            )
        elif p.role in (Role.SHOP_OWNER, Role.SHOP_STAFF):
            wanted = "邻家便利" if p.role == Role.SHOP_OWNER else "望京鲜果蔬菜店"
            merchant = _merchant(merchants, wanted) or (merchants[0] if merchants else None)
            if merchant is None:
                continue
            role = Membership.Role.OWNER if p.role == Role.SHOP_OWNER else Membership.Role.STAFF
            membership, _ = Membership.objects.get_or_create(
                merchant=merchant, user=user, defaults={"role": role}
            )
            if role == Membership.Role.STAFF:
                membership.outlets.add(*merchant.outlets.all())
        elif p.role in (Role.PROPERTY_MANAGER, Role.COMMUNITY_OFFICER):
            kind = (
                CommunityStaff.Kind.PROPERTY
                if p.role == Role.PROPERTY_MANAGER
                else CommunityStaff.Kind.OFFICER
            )
            CommunityStaff.objects.get_or_create(community=community, user=user, kind=kind)
    return out
