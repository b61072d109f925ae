"""The planning task through a real Redis broker and a real `celery -A config worker` process.

The worker must see the test's data: on PostgreSQL it gets the test database's name; on SQLite
(an in-memory test database) the committed data is copied with SQLite's backup API into a file
the worker opens. Skipped, saying why, when Redis is not reachable."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection

from linli.delivery.models import PlanningRun
from linli.delivery.tests.conftest import build_wave, order_delivery
from linli.orders.tests.test_lifecycle import pay

pytestmark = pytest.mark.django_db(transaction=True)
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
BROKER = f"redis://{REDIS_HOST}:{REDIS_PORT}/14"


def _redis_up() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _database_url(tmp_path: Path) -> tuple[str, Path | None]:
    s = connection.settings_dict
    if connection.vendor == "postgresql":
        host, port = s.get("HOST") or "127.0.0.1", s.get("PORT") or 5432
        auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
        return f"postgres://{auth}@{host}:{port}/{s['NAME']}", None
    target = tmp_path / "worker.sqlite3"
    connection.ensure_connection()
    dst = sqlite3.connect(target)
    connection.connection.backup(dst)  # the committed test data, schema included
    dst.close()
    return f"sqlite:///{target}", target


@pytest.mark.skipif(not _redis_up(), reason=f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT}")
def test_planning_task_runs_in_a_worker(tmp_path, django_capture_on_commit_callbacks):
    wave = build_wave(tmp_path)
    order_delivery(wave, key="w1")
    checkout = wave.hood.resident.checkouts.get()
    pay(checkout, django_capture_on_commit_callbacks)
    run = PlanningRun.objects.create(
        community=wave.community, hub=wave.hub, date=wave.slots[0].date, seconds_budget=0.5
    )
    url, sqlite_file = _database_url(tmp_path)
    queue = f"delivery-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "CELERY_BROKER_URL": BROKER,
        "CELERY_RESULT_BACKEND": BROKER,
        "DATABASE_URL": url,
    }
    celery_bin = Path(sys.executable).with_name("celery")
    worker = subprocess.Popen(
        [str(celery_bin), "-A", "config", "worker", "-P", "solo", "-Q", queue, "-l", "warning",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=Path(__file__).resolve().parents[3], env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    client = Celery("linli-test", broker=BROKER, backend=BROKER)
    try:
        result = client.send_task("delivery.plan_wave", args=[run.pk], queue=queue)
        out = result.get(timeout=120)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        client.close()
    assert out["status"] == "done" and out["routes"] == 1 and out["unplanned"] == 0
    if sqlite_file is None:
        run.refresh_from_db()
        assert (run.status, run.orders, run.progress) == ("done", 1, 1.0)
    else:
        with sqlite3.connect(sqlite_file) as db:
            row = db.execute(
                "select status, orders, progress from delivery_planningrun where id = ?", [run.pk]
            ).fetchone()
        assert row == ("done", 1, 1.0)
