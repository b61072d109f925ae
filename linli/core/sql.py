"""Hot-path SQL: ORM queries compiled once per process, and rows inserted in one plain statement.

Django builds the SQL of a queryset anew on every evaluation. For a join with a subquery that is
~0.5-1 ms of Python, more than PostgreSQL takes to plan and run it; on the checkout and payment
paths, where a request makes ten statements, it was most of the request (issue 4's benchmark).

- `CompiledQuery(build, **kinds)`: `build(**placeholders)` returns a queryset; it is compiled on
  first use per database, and later runs bind the real arguments where the placeholders were.
  Rows come back as tuples, converted as the ORM would convert them (dates on SQLite, JSON).
  Only plain equality-style arguments may be placeholders (`int`, `str`): a placeholder the ORM
  transformed (a LIKE pattern, a date) is refused when compiling, never silently wrong.
- `insert_rows(objs, fields)`: one `INSERT … VALUES (…), (…) RETURNING pk` with the values
  prepared by the fields themselves; sets the objects' pks. No signals, like `bulk_create`.
- `update_rows(model, values, **where)`: one `UPDATE … SET … WHERE a = … AND b IN (…)`.
- `model_from_row(model, row)`: an instance from a hand-written statement's row, converted.
- `hot_cursor()`: on PostgreSQL a server-binding cursor, so that these statements are prepared.
- `as_health_check(run)`: a request's first statement doubles as the connection's health check.

Both speak SQL that SQLite (≥ 3.35) and PostgreSQL share.
"""

from __future__ import annotations

import functools
import itertools
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from django.db import InterfaceError, OperationalError, connections, models, router
from django.db.backends.utils import CursorWrapper
from django.db.models import QuerySet

# Placeholders: ints inside int32 (so that Django's integer-range checks keep the lookup) that no
# real argument of these queries comes near, and strings no one types.
_INT_BASE = 1_987_650_000
_counter = itertools.count(1)
M = TypeVar("M", bound=models.Model)
T = TypeVar("T")


class CompileError(RuntimeError):
    """A placeholder did not reach the SQL unchanged: this query cannot be compiled safely."""


class CompiledQuery:
    """A queryset's SQL, built once per database and process, run with new arguments."""

    def __init__(self, build: Callable[..., QuerySet[Any]], **kinds: type) -> None:
        if not kinds or not all(k in (int, str) for k in kinds.values()):
            raise ValueError("placeholders must be int or str")
        self._build = build
        self._kinds = kinds
        self._cache: dict[str, tuple[str, list[Any], Any, list[Any]]] = {}
        self._lock = threading.Lock()

    def _placeholders(self) -> dict[str, object]:
        n = next(_counter)
        out: dict[str, object] = {}
        for i, (name, kind) in enumerate(self._kinds.items()):
            mark = _INT_BASE + (n * 97 + i) % 100_000
            out[name] = mark if kind is int else f"\x1flinli:{name}:{n}\x1f"
        return out

    def _compiled(self, alias: str) -> tuple[str, list[Any], Any, list[Any]]:
        hit = self._cache.get(alias)
        if hit is not None:
            return hit
        with self._lock:
            marks = self._placeholders()
            qs = self._build(**marks)
            compiler = qs.query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            slots: list[Any] = []
            found: set[str] = set()
            by_mark = {v: k for k, v in marks.items()}
            for p in params:
                name = by_mark.get(p) if isinstance(p, int | str) else None
                if name is not None:
                    found.add(name)
                    slots.append(_Slot(name))
                else:
                    slots.append(p)
            if found != set(marks):
                missing = ", ".join(sorted(set(marks) - found))
                raise CompileError(f"placeholders changed by the ORM or unused: {missing}")
            fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
            converters = compiler.get_converters(fields)
            hit = (sql, slots, compiler, converters)
            self._cache[alias] = hit
            return hit

    def rows(self, *, using: str = "default", **args: object) -> list[tuple[Any, ...]]:
        sql, slots, compiler, converters = self._compiled(using)
        params: list[Any] = [args[s.name] if isinstance(s, _Slot) else s for s in slots]
        with hot_cursor(using) as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = [tuple(r) for r in compiler.apply_converters(rows, converters)]
        return rows

    def first(self, *, using: str = "default", **args: object) -> tuple[Any, ...] | None:
        rows = self.rows(using=using, **args)
        return rows[0] if rows else None


def hot_cursor(using: str = "default", *, raw: bool = False) -> CursorWrapper:
    """A cursor for statements a hot path runs with the same text again and again.

    On PostgreSQL it binds parameters on the server (psycopg's `Cursor`, where Django's default is
    the client-side `ClientCursor`), so that psycopg prepares a statement from its fifth run on:
    PostgreSQL then skips parsing and planning, which for a join costs more than running it.
    Wrapped like Django's own cursors (errors translated, queries counted in tests).
    `raw=True`: psycopg's `RawCursor`, for SQL already in PostgreSQL's `$n` style (`Positional`)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return connection.cursor()
    import psycopg

    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        cursor = (psycopg.RawCursor if raw else psycopg.Cursor)(connection.connection)
        return connection._prepare_cursor(cursor)  # type: ignore[attr-defined,no-any-return]


def as_health_check(run: Callable[[], T], using: str = "default") -> T:
    """Run a request's first statement as its connection's health check.

    With CONN_HEALTH_CHECKS Django sends `SELECT 1` on a reused connection before the request's
    first query: one more round trip on every request. A statement that is safe to run twice (a
    read, or a write of the same values) can be that check itself. If it fails because the
    connection is gone (the server restarted, a firewall cut an idle connection), the connection
    is closed and the statement runs once more on a new one; an error of the statement itself
    on a live connection is raised. Inside a transaction, or once checked, it just runs."""
    connection: Any = connections[using]  # health_check_* are set by the concrete backends
    if (
        connection.connection is None
        or not connection.health_check_enabled
        or connection.health_check_done
        or connection.in_atomic_block
    ):
        return run()
    connection.health_check_done = True
    try:
        return run()
    except (OperationalError, InterfaceError):
        if connection.is_usable():
            raise
        connection.close()
        return run()


class Positional:
    """A PostgreSQL statement written with `%(name)s` placeholders, rewritten once to `$1, $2…`
    and run through `hot_cursor(raw=True)` with `params(values)`.

    psycopg caches its own placeholder parsing only for statements under 4 KB and 50 parameters;
    a longer one (checkout's writes at once) would be parsed again on every run."""

    def __init__(self, sql: str) -> None:
        self.names: list[str] = []

        def number(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in self.names:
                self.names.append(name)
            return f"${self.names.index(name) + 1}"

        if "%%" in sql or re.search(r"%(?!\(\w+\)s)", sql):
            raise ValueError("only %(name)s placeholders, no other %")
        self.sql = re.sub(r"%\((\w+)\)s", number, sql)

    def params(self, values: Mapping[str, Any]) -> list[Any]:
        return [values[name] for name in self.names]


class _Slot:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


def insert_rows(objs: Sequence[M], fields: Sequence[str] | None = None) -> Sequence[M]:
    """INSERT the objects (all of one model) in one statement and set their pks. `fields`: the
    columns to write, by default every concrete field but the auto primary key."""
    if not objs:
        return objs
    model = type(objs[0])
    alias = router.db_for_write(model)
    connection = connections[alias]
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    if fields is None:
        columns: list[Any] = [f for f in meta.concrete_fields if f is not pk]
    else:
        columns = [meta.get_field(name) for name in fields]
    qn = connection.ops.quote_name
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    sql = (
        f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(f.column) for f in columns)}) "
        f"VALUES {', '.join([row] * len(objs))} RETURNING {qn(str(pk.column))}"
    )
    params: list[Any] = []
    for obj in objs:
        for f in columns:
            params.append(f.get_db_prep_save(f.pre_save(obj, True), connection))
    with hot_cursor(alias) as cursor:
        cursor.execute(sql, params)
        ids = [r[0] for r in cursor.fetchall()]
    # Both databases return the rows of a single multi-row VALUES in order.
    for obj, pk_value in zip(objs, ids, strict=True):
        obj.pk = pk_value
        obj._state.adding = False
        obj._state.db = alias
    return objs


def update_rows(model: type[models.Model], values: Mapping[str, Any], **where: Any) -> int:
    """`UPDATE … SET <values> WHERE <where>` in one prepared statement; returns rows updated.

    `where` is field=value (equality) or field=list (IN); values are prepared by the fields, as
    `QuerySet.update` would, without its query building (a hot path's conditional moves)."""
    alias = router.db_for_write(model)
    connection = connections[alias]
    meta = model._meta
    qn = connection.ops.quote_name
    sets, params = [], []
    for name, value in values.items():
        field: Any = meta.get_field(name)
        sets.append(f"{qn(field.column)} = %s")
        params.append(field.get_db_prep_save(value, connection))
    conditions = []
    for name, value in where.items():
        field = meta.pk if name == "pk" else meta.get_field(name)
        if isinstance(value, list | tuple | set | frozenset):
            items = list(value)
            if not items:
                return 0
            conditions.append(f"{qn(field.column)} IN ({', '.join(['%s'] * len(items))})")
            params += [field.get_db_prep_value(v, connection) for v in items]
        else:
            conditions.append(f"{qn(field.column)} = %s")
            params.append(field.get_db_prep_value(value, connection))
    sql = f"UPDATE {qn(meta.db_table)} SET {', '.join(sets)}"
    if conditions:
        sql += f" WHERE {' AND '.join(conditions)}"
    with hot_cursor(alias) as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


@functools.cache
def _row_converters(model: type[models.Model], alias: str) -> list[tuple[Any, list[Any]]]:
    connection = connections[alias]
    out = []
    for f in model._meta.concrete_fields:
        col = f.get_col(model._meta.db_table)
        out.append((col, connection.ops.get_db_converters(col) + f.get_db_converters(connection)))
    return out


def model_from_row(model: type[M], row: Sequence[Any], using: str = "default") -> M:
    """An instance from a raw row of all its concrete fields in model order (a hand-written
    SELECT or RETURNING), converted as the ORM would (aware datetimes and booleans on SQLite)."""
    connection = connections[using]
    values = list(row)
    for i, (col, converters) in enumerate(_row_converters(model, using)):
        for convert in converters:
            values[i] = convert(values[i], col, connection)
    return model.from_db(using, [f.attname for f in model._meta.concrete_fields], values)


class InsertSelect:
    """`INSERT INTO <model's table> (<every concrete column>) SELECT <…> FROM <source>`, a piece of
    a larger statement (a data-modifying CTE on PostgreSQL).

    `exprs` gives SQL expressions for some fields (by field name); every other concrete field but
    the auto primary key is bound to its model default as a named parameter (NULL where that is
    None), so a field added later with a default needs no change here, and a NOT NULL one without
    a default is refused at once.
    `sql()` is built once; `params()` is evaluated per statement (callable defaults)."""

    def __init__(
        self,
        model: type[models.Model],
        *,
        source: str,
        exprs: Mapping[str, str],
        returning: Sequence[str] = ("id",),
    ) -> None:
        meta = model._meta
        self.table = str(meta.db_table)
        self._defaulted: list[Any] = []
        self._static: dict[str, dict[str, Any]] = {}
        columns, values = [], []
        for f in meta.concrete_fields:
            if f.name in exprs:
                columns.append(f.column)
                values.append(exprs[f.name])
            elif f is meta.pk:
                continue
            elif f.get_default() is None:
                if not f.null:
                    raise ValueError(f"{self.table}.{f.column}: no default, no expression")
                columns.append(f.column)
                values.append("NULL")
            else:
                columns.append(f.column)
                values.append(f"%({self.table}__{f.column})s")
                self._defaulted.append(f)
        unknown = set(exprs) - {f.name for f in meta.concrete_fields}
        if unknown:
            raise ValueError(f"{self.table}: unknown fields {sorted(unknown)}")
        quoted = ", ".join(f'"{c}"' for c in columns)
        self._sql = (
            f'INSERT INTO "{self.table}" ({quoted}) '
            f"SELECT {', '.join(values)} FROM {source} "
            f"RETURNING {', '.join(returning)}"
        )

    def sql(self) -> str:
        return self._sql

    def params(self, using: str = "default") -> dict[str, Any]:
        """The defaulted columns' values: constants (and empty containers) prepared once per
        database, callable defaults such as `timezone.now` evaluated anew."""
        connection = connections[using]
        static = self._static.get(using)
        if static is None:
            static = self._static[using] = {
                f"{self.table}__{f.column}": f.get_db_prep_save(f.get_default(), connection)
                for f in self._defaulted
                if not callable(f.default) or f.default in (dict, list)
            }
        fresh = {
            f"{self.table}__{f.column}": f.get_db_prep_save(f.get_default(), connection)
            for f in self._defaulted
            if callable(f.default) and f.default not in (dict, list)
        }
        return {**static, **fresh} if fresh else static
