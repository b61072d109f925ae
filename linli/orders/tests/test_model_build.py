"""`core.instances.model_build` builds the same unsaved rows as `Model(**values)` (checkout's
orders, lines and payment are built with it)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import models
from django.db.models.signals import post_init
from django.utils import timezone

from linli.accounts.models import User
from linli.core.instances import model_build
from linli.orders.models import Checkout, Order, OrderLine
from linli.payments.models import Payment
from linli.shops.models import Outlet


def _fields(obj: models.Model) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def _same(model: type[models.Model], **values: Any) -> models.Model:
    expected, built = model(**values), model_build(model, **values)
    assert type(built) is model
    assert _fields(built) == _fields(expected)
    assert built._state.adding and built._state.db is None
    assert set(built._state.fields_cache) == set(expected._state.fields_cache)
    return built


def test_rows_match_the_constructor_relations_attnames_and_defaults() -> None:
    now = timezone.now()
    resident, outlet = User(pk=5, phone="13900000001"), Outlet(pk=3, name="马哥便利店")
    checkout = _same(
        Checkout,
        resident=resident,
        idempotency_key="k1",
        total_fen=700,
        expires_at=now,
        created_at=now,
    )
    order = _same(
        Order,
        checkout=checkout,
        resident=resident,
        outlet=outlet,
        fulfilment_method="store_pickup",
        subtotal_fen=700,
        total_fen=700,
        pickup_code="123456",
        placed_at=now,
    )
    assert order.resident is resident and order.outlet_id == 3 and order.checkout_id is None
    line = _same(OrderLine, order=order, listing_id=7, product_id=8, name="西红柿", quantity=2)
    assert line.order is order and line.lots == []  # a callable default, called
    payment = _same(Payment, payer=resident, amount_fen=700, reference="r", out_trade_no="LL1")
    assert payment.payer_id == 5
    paid = _same(
        Checkout,
        resident=resident,
        payment=payment,
        idempotency_key="k2",
        total_fen=1,
        expires_at=now,
        created_at=now,
    )
    assert paid.payment is payment  # a one-to-one relation, as a foreign key
    assert _same(Outlet, pk=9, name="米家鲜果").pk == 9  # `pk` names the primary key


def test_an_unsaved_relation_takes_its_id_when_saved_later() -> None:
    resident = User(phone="13900000002")
    checkout = model_build(Checkout, resident=resident, idempotency_key="k", total_fen=1)
    assert checkout.resident_id is None and checkout.resident is resident
    resident.pk = 11
    checkout._prepare_related_fields_for_save("save")  # what save() does first
    assert checkout.resident_id == 11


def test_bad_arguments_are_refused_as_by_the_constructor() -> None:
    with pytest.raises(TypeError, match="colour"):
        model_build(OrderLine, name="x", colour="red")
    with pytest.raises(ValueError, match="must be a"):
        model_build(Order, outlet=User(pk=1))


def test_a_model_with_init_receivers_goes_through_the_constructor() -> None:
    seen: list[models.Model] = []

    def receiver(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
        seen.append(instance)

    post_init.connect(receiver, sender=OrderLine)
    try:
        line = model_build(OrderLine, name="鸡蛋", quantity=1)
    finally:
        post_init.disconnect(receiver, sender=OrderLine)
    assert seen == [line]
