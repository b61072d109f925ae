"""Benchmark: residents buying and paying under load on gunicorn + PostgreSQL, beside a trivial
endpoint of the same server (issue 4, "Speed").

    python bench/checkout.py [--seconds 20] [--rounds 4] [--clients 20] [--residents 2000]
                             [--quick] [--json OUT]

Creates a fresh database (dropped and recreated every run), migrates, seeds the small imported
neighbourhood of the order tests (two shops) with N residents, each with a household and a bearer
token, plentiful water and tomatoes and two scarce goods (milk, eggs) so that oversell would show.
Starts `gunicorn config.wsgi -w 2` on loopback with DEBUG off, then a thread pool of clients:

  A. trivial: GET /api/v1/health (one `SELECT 1`), as many as the clients can get answered;
  B. checkout: residents whose carts hold one to three plentiful goods of the two shops' shelves
     (14 products; written straight into the database before the slice, untimed) POST checkout
     (idempotency key, expected total);
  C. pay: the signed sandbox notification of every checkout B placed, as the gateway would send it
     (one in ten delivered twice, as gateways retry);
  D. whole purchase: PUT cart lines → POST checkout → POST the notification, one resident after
     another, as an app would.

A, B, C and D alternate in --rounds slices so that all see the same background load. Before
the clock, one round of B and C gives the shops an order history, as a live community has (it
is checked with the rest, not timed). Before every B, untimed, the bench refills the carts and
runs VACUUM ANALYZE, standing in for the autovacuum of a production server (see _maintain).
The headline is the checkout throughput over the trivial throughput (goal ≥ 0.2); the payment
notification's and the whole purchase's ratios are printed beside it. Afterwards the database
must show zero oversell: for every product, units sold + available == received, claimed ≤ on
hand, nothing negative; every checkout captured exactly once and paid; every failed checkout a
coded out_of_stock on a scarce product.
"""

from __future__ import annotations

import argparse
import functools
import http.client
import itertools
import json
import os
import random
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/linli_bench"
GOAL_RATIO = 0.2
PLENTY = 100_000  # the most one delivery may receive
# (product, extra units received on top of build_neighbourhood's, share of carts, max quantity)
GOODS: dict[str, tuple[int, float, int]] = {
    "农夫山泉 550ml": (PLENTY, 1.0, 3),
    "西红柿": (PLENTY, 0.5, 2),
    "伊利纯牛奶": (20, 0.3, 2),  # 30 units: sells out part-way through a full run
    "鸡蛋 10枚": (0, 0.3, 1),  # 5 units, a flash sale: gone in the first second or two
}
SCARCE = {"伊利纯牛奶", "鸡蛋 10枚"}
# More of each shop's shelf, plentiful: what phase B's residents buy (a real cart is spread over
# a shop's range; the hammering of a few goods is D's, with its flash sale).
SHELF = {
    "马哥便利店": ["康师傅红烧牛肉面", "可口可乐 330ml", "乐事薯片", "维达抽纸", "金龙鱼大米 5kg"],
    "米家鲜果": ["红富士苹果", "香蕉", "土豆", "黄瓜", "大白菜"],
}
REDELIVER_EVERY = 10
CART_GOODS = list(GOODS)


# --- setup -------------------------------------------------------------------------------


def _environment(db_url: str) -> None:
    """Production-like settings for this process and the gunicorn it starts."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": db_url,
            "DJANGO_DEBUG": "False",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "LINLI_PAYMENTS_GATEWAYS": "sandbox",  # off by default without DEBUG
            "LINLI_PAYMENTS_SANDBOX_SECRET": secrets.token_urlsafe(32),
            "LINLI_LOG_LEVEL": "WARNING",
        }
    )
    os.environ.pop("REDIS_URL", None)  # per-process cache and eager tasks: no other services


def _recreate_database(db_url: str) -> str | None:
    """Drop and create the bench database; returns why it cannot, or None."""
    import psycopg

    parts = urlsplit(db_url)
    name = parts.path.lstrip("/")
    if not name.replace("_", "").isalnum():
        return f"unsafe database name {name!r}"
    admin = parts._replace(path="/postgres").geturl()
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as e:
        return f"PostgreSQL unavailable at {parts.hostname}:{parts.port} ({e})"
    return None


@dataclass
class World:
    listings: dict[str, int]  # product name → listing id
    prices: dict[str, int]  # product name → price in fen
    tokens: list[str]
    carts: dict[str, int]  # token → its resident's cart id
    initial: dict[int, int]  # stock level id → on hand after seeding
    secret: str


def _seed(residents: int, workdir: Path) -> World:
    from django.conf import settings
    from django.utils import timezone

    from linli.accounts.models import Role
    from linli.accounts.services import api_token_create, user_create
    from linli.catalog.services import listing_upsert, product_create
    from linli.community.models import Building, Household, HouseholdMember
    from linli.inventory.models import StockLevel
    from linli.inventory.services import stock_receive
    from linli.orders.models import Cart
    from linli.orders.tests.conftest import build_neighbourhood

    hood = build_neighbourhood(workdir)
    owners = {n: shop.owner for shop in (hood.marco, hood.mia) for n in shop.listings}
    listings = {**hood.marco.listings, **hood.mia.listings}
    for shop in (hood.marco, hood.mia):
        for i, name in enumerate(SHELF[shop.outlet.name]):
            product = product_create(
                actor=shop.owner,
                merchant=shop.outlet.merchant,
                name=name,
                storage="ambient",
                spec="1份",
            )
            listings[name] = listing_upsert(
                actor=shop.owner, outlet=shop.outlet, product=product, price_fen=300 + 50 * i
            )
            stock_receive(
                actor=shop.owner,
                outlet=shop.outlet,
                product=product,
                quantity=PLENTY,
                batch_no=f"BENCH{product.pk}",
                expiry_date=timezone.localdate() + timedelta(days=10),
            )
    for name, (extra, _share, _most) in GOODS.items():
        listing = listings[name]
        if extra:
            stock_receive(
                actor=owners[name],
                outlet=listing.outlet,
                product=listing.product,
                quantity=extra,
                batch_no=f"BENCH{listing.product_id}",
                expiry_date=timezone.localdate() + timedelta(days=10),
            )
    buildings = list(
        Building.objects.filter(community_id=hood.marco.outlet.community_id, residential=True)
    )
    tokens, carts = [], {}
    for i in range(residents):
        user = user_create(phone=f"139{i:08d}", display_name=f"居民{i}", roles=[Role.RESIDENT])
        home = Household.objects.create(
            building=buildings[i % len(buildings)], unit=str(1 + i // 100), room=f"{i % 100:03d}"
        )
        HouseholdMember.objects.create(household=home, user=user, is_primary=True)
        tokens.append(api_token_create(user=user, name="bench"))
        carts[tokens[-1]] = Cart.objects.create(resident=user).pk
    initial = dict(StockLevel.objects.values_list("pk", "on_hand"))
    shelf = [*GOODS, *(n for names in SHELF.values() for n in names)]
    return World(
        listings={n: listings[n].pk for n in shelf},
        prices={n: listings[n].price_fen for n in shelf},
        tokens=tokens,
        carts=carts,
        initial=initial,
        secret=settings.LINLI_PAYMENTS_SANDBOX_SECRET,
    )


def _random_cart(rng: random.Random) -> dict[str, int]:
    """What one resident buys: each good with its share of carts, one to its most units."""
    return {
        name: rng.randint(1, most)
        for name, (_extra, share, most) in GOODS.items()
        if rng.random() < share
    }


def _fill_carts(world: World, tokens: list[str], rng: random.Random) -> dict[str, int]:
    """Write a cart for each resident straight into the database (untimed: phase B measures the
    checkout, not the shopping); returns token → the cart's total in fen."""
    from linli.orders.models import CartLine

    CartLine.objects.filter(cart_id__in=[world.carts[t] for t in tokens]).delete()
    lines, totals = [], {}
    plenty = [n for n in world.listings if n not in SCARCE]
    for token in tokens:
        # plentiful goods only: B measures checkouts that go through (the scarce goods and their
        # refusals are D's); one to three lines, one or both shops
        cart = {n: rng.randint(1, 3) for n in rng.sample(plenty, rng.randint(1, 3))}
        totals[token] = sum(world.prices[n] * q for n, q in cart.items())
        lines += [
            CartLine(cart_id=world.carts[token], listing_id=world.listings[n], quantity=q)
            for n, q in cart.items()
        ]
    CartLine.objects.bulk_create(lines)
    return totals


def _maintain() -> None:
    """What autovacuum does on a production server, before every checkout slice and untimed:
    vacuum the dead cart lines and update the statistics of the growing order tables. This machine's
    PostgreSQL has autovacuum off. Without this the plans that gunicorn's connections cached
    while the tables were empty stay in use as they grow: the foreign-key checks at commit then
    read the whole orders table (measured: 2.0 ms of PostgreSQL per checkout instead of 1.25)."""
    from django.db import connections

    with connections["default"].cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


# --- the server ------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_gunicorn(port: int, log: Path) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "gunicorn", "config.wsgi", "-w", "2"]
    cmd += ["-b", f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "60"]
    with log.open("wb") as out:
        # own process group so that stopping it also stops both workers
        return subprocess.Popen(
            cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def _cpu(server: subprocess.Popen[bytes]) -> dict[int, tuple[str, float]]:
    """CPU seconds used so far by each gunicorn process and each PostgreSQL process of this
    machine, by pid (Linux /proc; empty elsewhere): where a phase's machine time went."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

    def stat(pid: int) -> tuple[str, float]:
        try:
            text = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            return "", 0.0
        comm, rest = text[text.index("(") + 1 : text.rindex(")")], text[text.rindex(")") + 2 :]
        fields = rest.split()
        return comm, (int(fields[11]) + int(fields[12])) / tick

    try:
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    except OSError:
        return {}
    out = {pid: ("web", stat(pid)[1]) for pid in [server.pid, *map(int, children)]}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            comm, seconds = stat(int(entry.name))
            if comm.startswith("postgres"):
                out[int(entry.name)] = ("pg", seconds)
    return out


def _cpu_used(
    before: dict[int, tuple[str, float]], after: dict[int, tuple[str, float]]
) -> tuple[float, float]:
    """(gunicorn, PostgreSQL) seconds between two readings; processes that ended in between
    (a closed connection's backend) are left out rather than counted negative."""
    used = {"web": 0.0, "pg": 0.0}
    for pid, (kind, seconds) in after.items():
        used[kind] += seconds - before.get(pid, (kind, 0.0))[1]
    return used["web"], used["pg"]


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()  # gunicorn's graceful stop: the arbiter stops its workers
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# --- the load generator ----------------------------------------------------------------


@dataclass
class Reply:
    status: int  # 0: no HTTP answer (refused, reset, timeout)
    body: bytes
    seconds: float

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError:
            return None


def _call(port: int, method: str, path: str, payload: Any = None, **headers: str) -> Reply:
    """One request on a fresh connection: gunicorn's sync workers close after every answer."""
    body = payload if isinstance(payload, str) or payload is None else json.dumps(payload)
    if body is not None:
        headers.setdefault("Content-Type", "application/json")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    t0 = time.perf_counter()
    try:
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        return Reply(resp.status, data, time.perf_counter() - t0)
    except OSError as e:
        return Reply(0, str(e).encode(), time.perf_counter() - t0)
    finally:
        conn.close()


def _wait_ready(port: int, proc: subprocess.Popen[bytes], timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if _call(port, "GET", "/api/v1/health").status == 200:
            return True
        time.sleep(0.2)
    return False


@dataclass
class Tally:
    """What one client saw; merged after the run."""

    latency: dict[str, list[float]] = field(default_factory=dict)
    outcomes: Counter[str] = field(default_factory=Counter)
    statuses: Counter[str] = field(default_factory=Counter)
    paid: list[str] = field(default_factory=list)  # out_trade_no
    placed: list[tuple[str, int]] = field(default_factory=list)  # (out_trade_no, fen) to pay
    oos_products: Counter[str] = field(default_factory=Counter)
    redelivered: int = 0
    problems: list[str] = field(default_factory=list)

    def add(self, kind: str, reply: Reply) -> Reply:
        self.latency.setdefault(kind, []).append(reply.seconds)
        self.statuses[f"{kind} {reply.status}"] += 1
        return reply

    def merge(self, other: Tally) -> None:
        for k, v in other.latency.items():
            self.latency.setdefault(k, []).extend(v)
        self.outcomes.update(other.outcomes)
        self.statuses.update(other.statuses)
        self.paid.extend(other.paid)
        self.placed.extend(other.placed)
        self.oos_products.update(other.oos_products)
        self.redelivered += other.redelivered
        self.problems.extend(other.problems)


def _trivial(port: int, deadline: float, tally: Tally) -> None:
    while time.perf_counter() < deadline:
        r = tally.add("trivial", _call(port, "GET", "/api/v1/health"))
        if r.status != 200 and len(tally.problems) < 20:
            tally.problems.append(f"health {r.status}: {r.body[:200]!r}")


def _refused(tally: Tally, r: Reply, goods: set[str], started: float) -> None:
    """A checkout that did not go through: only out_of_stock on a scarce good is expected."""
    code = (r.json() or {}).get("code", f"http_{r.status}")
    tally.outcomes[code] += 1
    tally.latency.setdefault("refused", []).append(time.perf_counter() - started)
    if code == "out_of_stock":
        tally.oos_products[",".join(sorted(SCARCE & goods)) or "(none scarce)"] += 1
    elif len(tally.problems) < 20:
        tally.problems.append(f"checkout {r.status}: {r.body[:200]!r}")


def _pay(
    port: int, world: World, out_trade_no: str, amount_fen: int, tally: Tally, twice: bool
) -> None:
    """The gateway's signed notification; a retried one must change nothing."""
    from linli.payments.gateways.sandbox import sandbox_notification

    headers, body = sandbox_notification(
        world.secret, out_trade_no=out_trade_no, amount_fen=amount_fen
    )
    for _ in range(2 if twice else 1):
        p = tally.add(
            "notify", _call(port, "POST", "/api/v1/payments/notify/sandbox", body, **headers)
        )
        if p.status != 200:
            tally.problems.append(f"notify {p.status}: {p.body[:200]!r}")
    tally.redelivered += 1 if twice else 0
    tally.outcomes["paid"] += 1
    tally.paid.append(out_trade_no)


def _take(queue: deque[Any]) -> Any:
    """The next item of a queue the clients share, or None when it is empty (popleft is atomic:
    each item is taken by one client)."""
    try:
        return queue.popleft()
    except IndexError:
        return None


def _checkout(
    port: int, world: World, carts: deque[tuple[str, int]], deadline: float, tally: Tally
) -> None:
    """Phase B: check out filled carts, as fast as answered, until the deadline or the carts run
    out. What was placed is paid in phase C. All clients take carts from one queue, so that none
    sits idle while another still has carts of its own to check out."""
    while time.perf_counter() < deadline and (cart := _take(carts)) is not None:
        token, total = cart
        auth = {"Authorization": f"Bearer {token}"}
        order = {"idempotency_key": uuid.uuid4().hex, "expected_total_fen": total}
        t0 = time.perf_counter()
        r = tally.add("checkout", _call(port, "POST", "/api/v1/orders/checkout", order, **auth))
        if r.status == 201:
            got = r.json()
            tally.placed.append((got["out_trade_no"], got["total_fen"]))
        else:
            _refused(tally, r, set(GOODS), t0)


def _pay_all(
    port: int, world: World, placed: deque[tuple[str, int]], paid_seq: Iterator[int], tally: Tally
) -> None:
    """Phase C: the notification of every checkout placed in B (no deadline: all get paid), from
    one queue the clients share."""
    while (checkout := _take(placed)) is not None:
        out_trade_no, amount = checkout
        twice = next(paid_seq) % REDELIVER_EVERY == 0
        _pay(port, world, out_trade_no, amount, tally, twice)


def _purchase(
    port: int,
    world: World,
    tokens: list[str],
    seed: int,
    deadline: float,
    tally: Tally,
    paid_seq: Iterator[int],
) -> None:
    """Phase D: the whole purchase, one resident after another, as an app would do it."""
    rng = random.Random(seed)
    n = 0
    while time.perf_counter() < deadline:
        auth = {"Authorization": f"Bearer {tokens[n % len(tokens)]}"}
        n += 1
        cart = _random_cart(rng)
        t0 = time.perf_counter()
        total = None
        for name, qty in cart.items():
            line = {"listing_id": world.listings[name], "quantity": qty}
            r = tally.add("cart", _call(port, "PUT", "/api/v1/orders/cart/lines", line, **auth))
            total = (r.json() or {}).get("total_fen") if r.status == 200 else None
        if total is None:
            tally.outcomes["cart_failed"] += 1
            continue
        order = {"idempotency_key": uuid.uuid4().hex, "expected_total_fen": total}
        r = tally.add("checkout", _call(port, "POST", "/api/v1/orders/checkout", order, **auth))
        if r.status == 201:
            got = r.json()
            twice = next(paid_seq) % REDELIVER_EVERY == 0
            _pay(port, world, got["out_trade_no"], got["total_fen"], tally, twice)
            tally.latency.setdefault("purchase", []).append(time.perf_counter() - t0)
            continue
        _refused(tally, r, set(cart), t0)
        for name in cart:  # the resident's next purchase starts from an empty cart
            line = {"listing_id": world.listings[name], "quantity": 0}
            tally.add("cart", _call(port, "PUT", "/api/v1/orders/cart/lines", line, **auth))


def _trivial_job(port: int, client: int, deadline: float, tally: Tally) -> None:
    _trivial(port, deadline, tally)


def _checkout_job(
    port: int,
    world: World,
    carts: deque[tuple[str, int]],
    client: int,
    deadline: float,
    tally: Tally,
) -> None:
    _checkout(port, world, carts, deadline, tally)


def _pay_job(
    port: int,
    world: World,
    placed: deque[tuple[str, int]],
    paid_seq: Iterator[int],
    client: int,
    deadline: float,
    tally: Tally,
) -> None:
    _pay_all(port, world, placed, paid_seq, tally)


def _purchase_job(
    port: int,
    world: World,
    shares: list[list[str]],
    seed: int,
    paid_seq: Iterator[int],
    client: int,
    deadline: float,
    tally: Tally,
) -> None:
    _purchase(port, world, shares[client], seed + client, deadline, tally, paid_seq)


def _run(
    clients: int, seconds: float, job: Callable[[int, float, Tally], None], into: Tally
) -> float:
    """`clients` threads run job(client, deadline, tally) until the deadline; returns the wall
    time, which includes the requests still in flight at the deadline."""
    tallies = [Tally() for _ in range(clients)]
    t0 = time.perf_counter()
    deadline = t0 + seconds
    with ThreadPoolExecutor(clients) as pool:
        futures = [pool.submit(job, i, deadline, tallies[i]) for i in range(clients)]
        for f in futures:
            f.result()
    wall = time.perf_counter() - t0
    for t in tallies:
        into.merge(t)
    return wall


def _warm_up(port: int, world: World) -> None:
    """Both workers import every module and build the walking engine before the clock runs."""
    auth = {"Authorization": f"Bearer {world.tokens[0]}"}
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda _: _call(port, "GET", "/api/v1/nearby", **auth), range(32)))
        list(pool.map(lambda _: _call(port, "GET", "/api/v1/orders/cart", **auth), range(32)))
        list(pool.map(lambda _: _call(port, "GET", "/api/v1/health"), range(32)))


def _check_bearer_writes(port: int, world: World) -> None:
    """A bearer-token client must be able to write without any CSRF cookie (token auths come
    before session auth in config/api.py; Django's test client skips CSRF, so tests can't tell)."""
    line = {"listing_id": world.listings["农夫山泉 550ml"], "quantity": 0}
    auth = {"Authorization": f"Bearer {world.tokens[0]}"}
    r = _call(port, "PUT", "/api/v1/orders/cart/lines", line, **auth)
    if r.status != 200:
        raise RuntimeError(f"bearer-only PUT refused: {r.status} {r.body[:200]!r}")


# --- figures and checks ----------------------------------------------------------------


def _pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile in milliseconds."""
    if not values:
        return float("nan")
    s = sorted(values)
    return 1000 * s[min(len(s) - 1, max(0, round(q / 100 * len(s) + 0.5) - 1))]


def _check(world: World, tally: Tally) -> dict[str, Any]:
    """Zero oversell and exactly-once payment, read from the database after the run."""
    from django.db.models import Count, Q, Sum

    from linli.inventory.models import Lot, StockClaim, StockLevel
    from linli.orders.models import Checkout, Order, OrderLine
    from linli.payments.models import Payment, PaymentNotification

    bad: list[str] = []
    sold_by_level: dict[tuple[int, int], int] = {
        (row["order__outlet_id"], row["product_id"]): row["units"]
        for row in OrderLine.objects.filter(order__status="paid")
        .values("order__outlet_id", "product_id")
        .annotate(units=Sum("quantity"))
    }
    active = dict(
        StockClaim.objects.filter(status="active")
        .values("stock_level_id")
        .annotate(units=Sum("quantity"))
        .values_list("stock_level_id", "units")
    )
    stock = []
    for sl in StockLevel.objects.select_related("product").order_by("pk"):
        sold = sold_by_level.get((sl.outlet_id, sl.product_id), 0)
        available = sl.on_hand - sl.claimed
        stock.append(
            {
                "product": sl.product.name,
                "initial": world.initial[sl.pk],
                "sold": sold,
                "available": available,
            }
        )
        if sold + available != world.initial[sl.pk] or sl.on_hand != world.initial[sl.pk]:
            bad.append(f"{sl.product.name}: sold {sold} + available {available} ≠ received")
        if sl.claimed != active.get(sl.pk, 0) or sl.claimed != sold:
            bad.append(
                f"{sl.product.name}: claimed {sl.claimed}, active claims "
                f"{active.get(sl.pk, 0)}, paid units {sold}"
            )
        if not 0 <= sl.claimed <= sl.on_hand:
            bad.append(f"{sl.product.name}: claimed {sl.claimed} of {sl.on_hand} on hand")
    if Lot.objects.filter(quantity_remaining__lt=0).exists():
        bad.append("a lot has negative quantity remaining")

    checkouts = Checkout.objects.count()
    if checkouts != len(tally.paid) or len(set(tally.paid)) != len(tally.paid):
        bad.append(f"{checkouts} checkouts in the database, {len(tally.paid)} paid by clients")
    if Checkout.objects.filter(payment__isnull=True).exists():
        bad.append("a checkout without its payment")
    not_captured = Payment.objects.exclude(status=Payment.Status.CAPTURED).count()
    captures = Payment.objects.annotate(
        n=Count("notifications", filter=Q(notifications__outcome="captured"))
    ).exclude(n=1)
    duplicates = PaymentNotification.objects.filter(outcome="duplicate").count()
    if not_captured or captures.exists():
        bad.append(f"{not_captured} payments not captured, {captures.count()} not exactly once")
    if duplicates != tally.redelivered:
        bad.append(f"{tally.redelivered} redeliveries, {duplicates} answered as duplicate")
    unpaid = Order.objects.exclude(status="paid").count()
    if unpaid:
        bad.append(f"{unpaid} orders not paid")
    failures = {k: v for k, v in tally.outcomes.items() if k != "paid"}
    if set(failures) - {"out_of_stock"}:
        bad.append(f"failures other than out_of_stock: {failures}")
    if tally.oos_products.get("(none scarce)"):
        bad.append(f"{tally.oos_products['(none scarce)']} out_of_stock without a scarce good")
    if tally.problems:
        bad.extend(tally.problems[:10])
    return {
        "checkouts": checkouts,
        "orders": Order.objects.count(),
        "stock": stock,
        "redelivered": tally.redelivered,
        "failures": failures,
        "oversell": "none" if not bad else "FAILED",
        "problems": bad,
    }


def _fmt_row(name: str, n: int, wall: float, lat: list[float]) -> str:
    return f"  {name:<26}{n:>8}{n / wall:>10.1f}{_pct(lat, 50):>10.1f}{_pct(lat, 99):>10.1f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=20.0, help="length of each phase")
    ap.add_argument("--rounds", type=int, default=4, help="A/B alternations sharing --seconds")
    ap.add_argument("--clients", type=int, default=20, help="concurrent clients")
    ap.add_argument("--residents", type=int, default=2000)
    ap.add_argument(
        "--quick", action="store_true", help="6 s phases in 2 rounds, 10 clients, 600 residents"
    )
    ap.add_argument("--db", default=os.getenv("LINLI_BENCH_DATABASE_URL", DEFAULT_DB))
    ap.add_argument("--json", metavar="OUT", help="also write the figures as JSON")
    args = ap.parse_args(argv)
    if args.quick:
        args.seconds, args.rounds, args.clients, args.residents = 6.0, 2, 10, 600
    if args.residents < 2 * args.clients:
        ap.error("need two residents per client (a cart belongs to one resident)")
    if shutil.which("gunicorn", path=str(Path(sys.executable).parent)) is None:
        print("checkout bench skipped: gunicorn is not installed (pip install -e '.[bench]')")
        return 0
    _environment(args.db)
    why = _recreate_database(args.db)
    if why:
        print(f"checkout bench skipped: {why}")
        return 0

    import django
    from django.core.management import call_command
    from django.db import connections

    django.setup()
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    with tempfile.TemporaryDirectory() as tmp:
        world = _seed(args.residents, Path(tmp))
        # Statistics, as a live database has them (autovacuum may be off on a test server):
        # without them PostgreSQL plans the resident's home lookups as scans.
        with connections["default"].cursor() as cursor:
            cursor.execute("ANALYZE")
    seed_s = time.perf_counter() - t0
    connections.close_all()

    port = _free_port()
    log = Path(tempfile.mkstemp(prefix="linli-bench-gunicorn-", suffix=".log")[1])
    proc = _start_gunicorn(port, log)
    tally = {phase: Tally() for phase in "ABCD"}
    history = {phase: Tally() for phase in "BC"}  # before the clock
    wall = dict.fromkeys("ABCD", 0.0)
    cpu = dict.fromkeys("ABCD", 0.0)  # the load generator's own CPU: it shares the cores
    web_cpu = dict.fromkeys("ABCD", 0.0)  # gunicorn's and PostgreSQL's, per phase
    pg_cpu = dict.fromkeys("ABCD", 0.0)
    try:
        if not _wait_ready(port, proc):
            print(log.read_text(errors="replace")[-3000:], file=sys.stderr)
            print("checkout bench: gunicorn did not come up", file=sys.stderr)
            return 1
        _warm_up(port, world)
        _check_bearer_writes(port, world)
        # Residents: the first half check out filled carts (B, from one queue), the second half
        # shop (D, each client its own residents), so that one cart is never used twice at once.
        half = len(world.tokens) // 2
        b_tokens, d_tokens = world.tokens[:half], world.tokens[half:]
        shares = [d_tokens[i :: args.clients] for i in range(args.clients)]
        paid_seq = itertools.count()
        slice_s = args.seconds / args.rounds
        rng = random.Random(7)

        def phase(
            name: str, job: Callable[[int, float, Tally], None], seconds: float, timed: bool = True
        ) -> None:
            if not timed:
                _run(args.clients, seconds, job, history[name])
                return
            c0, before = time.process_time(), _cpu(proc)
            wall[name] += _run(args.clients, seconds, job, tally[name])
            cpu[name] += time.process_time() - c0
            web, pg = _cpu_used(before, _cpu(proc))
            web_cpu[name] += web
            pg_cpu[name] += pg

        def checkout_and_pay(timed: bool) -> None:
            """B then C: fill the carts, keep the database as autovacuum would, check out, pay."""
            totals = _fill_carts(world, b_tokens, rng)
            _maintain()
            connections.close_all()
            carts = deque(totals.items())
            placed = (tally if timed else history)["B"].placed
            placed_before = len(placed)
            phase("B", functools.partial(_checkout_job, port, world, carts), slice_s, timed)
            pay = deque(placed[placed_before:])
            phase("C", functools.partial(_pay_job, port, world, pay, paid_seq), 3600, timed)

        # Before the clock, one round of B and C (checked, not timed) gives the shops a history:
        # a live community's order tables are not empty, and plans made while they were would
        # scan them (see _maintain). D's scarce goods are left for the timed rounds.
        checkout_and_pay(timed=False)
        for k in range(args.rounds):
            phase("A", functools.partial(_trivial_job, port), slice_s)
            checkout_and_pay(timed=True)
            buy = functools.partial(_purchase_job, port, world, shares, 1000 * (k + 1), paid_seq)
            phase("D", buy, slice_s)
    finally:
        _stop(proc)
    server_log = log.read_text(errors="replace")
    log.unlink(missing_ok=True)

    everything = Tally()
    for name in "BCD":
        everything.merge(tally[name])
    for name in "BC":
        everything.merge(history[name])
    checks = _check(world, everything)

    def count(name: str, kind: str) -> int:
        return len(tally[name].latency.get(kind, []))

    def lat(name: str, kind: str) -> list[float]:
        return tally[name].latency.get(kind, [])

    trivial_rps = count("A", "trivial") / wall["A"]
    checkout_rps = count("B", "checkout") / wall["B"]
    placed_ps = len(tally["B"].placed) / wall["B"]
    notify_rps = count("C", "notify") / wall["C"] if wall["C"] else 0.0
    paid_c_ps = tally["C"].outcomes["paid"] / wall["C"] if wall["C"] else 0.0
    flow_ps = tally["D"].outcomes["paid"] / wall["D"]
    requests_d = sum(count("D", k) for k in ("cart", "checkout", "notify"))
    # one order placed and paid costs the server 1/placed + 1/paid seconds of B and C
    place_and_pay_ps = 1 / (1 / placed_ps + 1 / paid_c_ps) if placed_ps and paid_c_ps else 0.0

    def ratio(x: float) -> float | None:
        return round(x / trivial_rps, 3) if trivial_rps else None

    figures: dict[str, Any] = {
        "clients": args.clients,
        "residents": args.residents,
        "seconds_per_phase": args.seconds,
        "rounds": args.rounds,
        "workers": 2,
        "cpus": os.cpu_count(),
        "seed_s": round(seed_s, 1),
        "trivial_endpoint": "GET /api/v1/health",
        "client_cpu_cores": {k: round(cpu[k] / wall[k], 2) for k in "ABCD" if wall[k]},
        # CPU milliseconds per request of the phase: (gunicorn, PostgreSQL, load generator)
        "cpu_ms_per_request": {
            k: [round(1000 * c[k] / n, 2) for c in (web_cpu, pg_cpu, cpu)]
            for k, n in (
                ("A", count("A", "trivial")),
                ("B", count("B", "checkout")),
                ("C", count("C", "notify")),
            )
            if n
        },
        "trivial_rps": round(trivial_rps, 1),
        "trivial_p50_ms": round(_pct(lat("A", "trivial"), 50), 1),
        "trivial_p99_ms": round(_pct(lat("A", "trivial"), 99), 1),
        "checkout_rps": round(checkout_rps, 1),
        "checkouts_placed_per_s": round(placed_ps, 1),
        "checkout_p50_ms": round(_pct(lat("B", "checkout"), 50), 1),
        "checkout_p99_ms": round(_pct(lat("B", "checkout"), 99), 1),
        "ratio": ratio(checkout_rps),
        "notify_rps": round(notify_rps, 1),
        "payments_captured_per_s": round(paid_c_ps, 1),
        "notify_p50_ms": round(_pct(lat("C", "notify"), 50), 1),
        "notify_p99_ms": round(_pct(lat("C", "notify"), 99), 1),
        "notify_ratio": ratio(notify_rps),
        "placed_and_paid_per_s": round(place_and_pay_ps, 1),
        "placed_and_paid_ratio": ratio(place_and_pay_ps),
        "purchases_per_s": round(flow_ps, 1),
        "purchase_p50_ms": round(_pct(lat("D", "purchase"), 50), 1),
        "purchase_p99_ms": round(_pct(lat("D", "purchase"), 99), 1),
        "purchase_ratio": ratio(flow_ps),
        "purchase_requests_per_s": round(requests_d / wall["D"], 1),
        "purchase_request_ratio": ratio(requests_d / wall["D"]),
        "orders": checks["orders"],
        "goal_ratio": GOAL_RATIO,
        "out_of_stock": everything.outcomes.get("out_of_stock", 0),
        "redelivered_notifications": checks["redelivered"],
        "http_statuses": dict(sorted(sum((t.statuses for t in tally.values()), Counter()).items())),
        "oversell": checks["oversell"],
        "stock": checks["stock"],
        "problems": checks["problems"],
    }

    print(
        f"checkout benchmark: gunicorn -w 2 on PostgreSQL, {args.clients} clients on loopback, "
        f"{args.seconds:g} s per phase in {args.rounds} rounds, {args.residents} residents, "
        f"{os.cpu_count()} CPUs"
    )
    print(f"  {'':<34}{'count':>8}{'per s':>10}{'p50 ms':>10}{'p99 ms':>10}{'ratio':>8}")

    def row(label: str, name: str, kind: str, n: int | None = None) -> None:
        n = count(name, kind) if n is None else n
        w = wall[name]
        values = lat(name, kind)
        r = ratio(n / w) if w else None
        print(
            f"  {label:<34}{n:>8}{n / w if w else 0:>10.1f}{_pct(values, 50):>10.1f}"
            f"{_pct(values, 99):>10.1f}{r if r is not None else '':>8}"
        )

    row("A trivial GET /health", "A", "trivial")
    row("B checkout POST (filled carts)", "B", "checkout")
    row("    placed (201)", "B", "checkout", len(tally["B"].placed))
    row("    refused: out of stock", "B", "refused")
    row("C payment notification POST", "C", "notify")
    row("    payments captured", "C", "notify", tally["C"].outcomes["paid"])
    row("D whole purchase (cart→pay)", "D", "purchase", tally["D"].outcomes["paid"])
    for kind in ("cart", "checkout", "notify"):
        row(f"    {kind} requests", "D", kind)
    print(
        f"  one order placed and paid (B then C): {figures['placed_and_paid_per_s']}/s, "
        f"ratio {figures['placed_and_paid_ratio']}"
    )
    print(f"  load generator CPU (cores): {figures['client_cpu_cores']} of {os.cpu_count()}")
    print(
        "  CPU ms per request (gunicorn, PostgreSQL, load generator): "
        + ", ".join(f"{k} {v}" for k, v in figures["cpu_ms_per_request"].items())
    )
    verdict = "meets" if figures["ratio"] and figures["ratio"] >= GOAL_RATIO else "MISSES"
    print(
        f"  ratio checkout/s ÷ trivial/s = {figures['ratio']} ({verdict} goal ≥ {GOAL_RATIO}); "
        f"payment {figures['notify_ratio']}; order placed and paid "
        f"{figures['placed_and_paid_ratio']}; whole purchase {figures['purchase_ratio']} "
        f"(per request {figures['purchase_request_ratio']})"
    )
    print(f"  orders written (one per shop): {checks['orders']}")
    print("  stock after the run (sold + available = received):")
    for st in checks["stock"]:
        print(
            f"    {st['product']:<14} received {st['initial']:>8}  sold {st['sold']:>6}  "
            f"available {st['available']:>8}"
        )
    print(f"  out_of_stock refusals by scarce goods in the cart: {dict(everything.oos_products)}")
    print(f"  notifications delivered twice: {checks['redelivered']}")
    print(f"  oversell / exactly-once check: {checks['oversell']}")
    for problem in checks["problems"]:
        print(f"    ! {problem}")
    if "Traceback" in server_log:
        print("  server log has tracebacks:\n" + server_log[-2000:])
    if args.json:
        Path(args.json).write_text(
            json.dumps(figures, indent=2, ensure_ascii=False), encoding="utf-8"
        )
    return 0 if not checks["problems"] and "Traceback" not in server_log else 1


if __name__ == "__main__":
    sys.exit(main())
