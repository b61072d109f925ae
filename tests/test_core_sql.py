"""Hot-path SQL helpers: a compiled query answers like the ORM; inserted rows are real rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from linli.accounts.models import ApiToken, ConsentRecord, User
from linli.core.sql import (
    CompiledQuery,
    CompileError,
    InsertSelect,
    Positional,
    hot_cursor,
    insert_rows,
)

pytestmark = pytest.mark.django_db


def _consents(user_id: int, kind: str):  # type: ignore[no-untyped-def]
    return (
        ConsentRecord.objects.filter(user_id=user_id, kind=kind)
        .order_by("pk")
        .values_list("pk", "user__phone", "granted", "recorded_at")
    )


CONSENTS = CompiledQuery(_consents, user_id=int, kind=str)


def test_compiled_query_answers_as_the_orm_does_for_any_arguments(rosa, marco):
    ConsentRecord.objects.create(user=rosa, kind="profiling", granted=True)
    ConsentRecord.objects.create(user=rosa, kind="profiling", granted=False)
    ConsentRecord.objects.create(user=marco, kind="profiling", granted=True)
    ConsentRecord.objects.create(user=rosa, kind="marketing", granted=True)
    for user in (rosa, marco):
        for kind in ("profiling", "marketing", "location"):
            expected = list(_consents(user.pk, kind))
            assert CONSENTS.rows(user_id=user.pk, kind=kind) == expected
    # converted like the ORM's rows: booleans and aware datetimes, also on SQLite
    _pk, phone, granted, at = CONSENTS.first(user_id=rosa.pk, kind="profiling")
    assert (phone, granted) == (rosa.phone, True)
    assert at.tzinfo is not None and abs(timezone.now() - at) < timedelta(minutes=1)
    assert CONSENTS.first(user_id=rosa.pk, kind="nothing") is None


def test_compiled_query_refuses_a_placeholder_the_orm_rewrote(rosa):
    # icontains turns the argument into a LIKE pattern: binding it later would be wrong
    like = CompiledQuery(lambda name: User.objects.filter(phone__icontains=name), name=str)
    with pytest.raises(CompileError):
        like.rows(name="138")
    with pytest.raises(ValueError):
        CompiledQuery(lambda day: User.objects.all(), day=object)


def test_insert_rows_writes_every_row_and_sets_pks(rosa, marco):
    tokens = [
        ApiToken(user=user, name=f"t{i}", key_hash=f"{i:064d}", prefix=f"ll_{i}")
        for i, user in enumerate([rosa, marco, rosa])
    ]
    insert_rows(tokens)
    assert all(t.pk for t in tokens) and len({t.pk for t in tokens}) == 3
    stored = {t.pk: (t.user_id, t.name, t.revoked) for t in ApiToken.objects.all()}
    assert stored == {t.pk: (t.user_id, t.name, False) for t in tokens}
    assert insert_rows([]) == []


def test_update_rows_sets_values_where_equal_and_in(rosa, marco):
    from linli.core.sql import update_rows

    tokens = insert_rows(
        [
            ApiToken(user=user, name="t", key_hash=f"{i:064d}", prefix="ll_")
            for i, user in enumerate([rosa, marco, rosa])
        ]
    )
    used = timezone.now()
    n = update_rows(
        ApiToken, {"revoked": True, "last_used_at": used}, user=rosa.pk, pk=[t.pk for t in tokens]
    )
    assert n == 2
    rows = dict(ApiToken.objects.values_list("pk", "revoked"))
    assert rows == {tokens[0].pk: True, tokens[1].pk: False, tokens[2].pk: True}
    assert ApiToken.objects.get(pk=tokens[0].pk).last_used_at == used
    assert update_rows(ApiToken, {"revoked": False}, pk=[]) == 0  # nothing to match


def test_insert_select_writes_defaults_and_refuses_what_it_cannot_fill(rosa, marco):
    tokens = InsertSelect(
        ApiToken,
        source="(SELECT %(user)s AS uid) src",
        exprs={"user": "src.uid", "name": "%(name)s", "key_hash": "%(hash)s", "prefix": "'ll_'"},
        returning=('"id"',),
    )
    sql = Positional(tokens.sql())
    values = {**tokens.params(), "user": rosa.pk, "name": "手机", "hash": "h" * 64}
    with hot_cursor(raw=connection.vendor == "postgresql") as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(sql.sql, sql.params(values))
        else:
            cursor.execute(tokens.sql(), values)
        (pk,) = cursor.fetchone()
    token = ApiToken.objects.get(pk=pk)
    # the model's defaults (created_at now, not revoked) and NULL where the default is None
    assert (token.user, token.name, token.prefix, token.revoked) == (rosa, "手机", "ll_", False)
    assert token.last_used_at is None
    assert abs(timezone.now() - token.created_at) < timedelta(minutes=1)
    # a NOT NULL field with no default and no expression, or a field that does not exist
    with pytest.raises(ValueError, match="granted"):
        InsertSelect(ConsentRecord, source="x", exprs={"user": "1", "kind": "'k'"})
    with pytest.raises(ValueError, match="colour"):
        every = {"user": "1", "kind": "'k'", "granted": "true"}
        InsertSelect(ConsentRecord, source="x", exprs={**every, "colour": "1"})


def test_positional_numbers_each_name_once_and_refuses_stray_percent_signs():
    sql = Positional("SELECT %(a)s, %(b)s, %(a)s || 'x'")
    assert sql.sql == "SELECT $1, $2, $1 || 'x'"
    assert sql.params({"b": 2, "a": 1, "unused": 3}) == [1, 2]
    for bad in ("SELECT 5 % 2", "SELECT '%%'", "SELECT %s"):
        with pytest.raises(ValueError):
            Positional(bad)
