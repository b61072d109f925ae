"""python manage.py delivery_demo_day [--orders 1000] [--shops 40] [--seconds 20] [--skip-load]

Loads the Wangjing demo (unless --skip-load), generates the day's orders, plans them and prints
the plan time and consolidated vs shop-by-shop vehicle-km (issue 6: < 60 s, ratio ≤ 0.5)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from linli.community.models import Community
from linli.delivery.demo import HUB_NAME, demo_delivery_load
from linli.delivery.demo_day import demo_day_generate
from linli.delivery.models import PlanningRun
from linli.delivery.services.planning import planning_execute, reason_text


class Command(BaseCommand):
    help = "Plan a demo day of common delivery on Wangjing and report the savings."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--orders", type=int, default=1000)
        parser.add_argument("--shops", type=int, default=40)
        parser.add_argument("--seconds", type=float, default=20.0)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--skip-load", action="store_true", help="demo already loaded")

    def handle(self, *args: Any, **opts: Any) -> None:
        t0 = time.perf_counter()
        if not opts["skip_load"]:  # the top-layer loader, by name (delivery sits below it)
            call_command("load_demo", stdout=self.stdout)
        community = Community.objects.filter(hubs__name=HUB_NAME).first()
        if community is None:
            self.stderr.write("no demo community: run without --skip-load")
            return
        demo_delivery_load(community=community)
        gen = demo_day_generate(
            community=community, n_orders=opts["orders"], n_shops=opts["shops"], seed=opts["seed"]
        )
        t1 = time.perf_counter()
        self.stdout.write(
            f"{gen.orders} orders from {gen.shops} shops to {gen.households} households in "
            f"{gen.buildings} buildings on {gen.day} ({t1 - t0:.1f} s to load and generate)"
        )
        run = PlanningRun.objects.create(
            community=community,
            date=gen.day,
            reason="demo",
            seconds_budget=opts["seconds"],
            hub=community.hubs.first(),
        )
        run = planning_execute(run_id=run.pk)
        total = time.perf_counter() - t1
        s = run.savings
        hub, shops = s.get("consolidated", {}), s.get("shop_by_shop", {})
        self.stdout.write(
            f"plan: {run.routes.count()} routes, {run.stops} stops, "
            f"{run.distance_m / 1000:.1f} km, {len(run.unplanned)} unplanned; "
            f"planned in {run.plan_seconds:.1f} s (build + solve), {total:.1f} s with the "
            "shop-by-shop comparison"
        )
        for key, label in (("shop_by_shop", "shop by shop"), ("consolidated", "consolidated")):
            f = s.get(key, {})
            self.stdout.write(
                f"  {label:13s} {f.get('vehicle_km', 0):8.1f} vehicle-km  "
                f"{f.get('vehicles', 0):4d} vehicles  {f.get('hours', 0):7.1f} h  "
                f"{f.get('kg_co2', 0):7.1f} kg CO2"
            )
        if s.get("collection"):
            self.stdout.write(
                f"  (consolidated includes collecting from the shops: "
                f"{s['collection']['vehicle_km']:.1f} vehicle-km)"
            )
        ratio = hub.get("vehicle_km", 0) / shops["vehicle_km"] if shops.get("vehicle_km") else 0
        self.stdout.write(f"vehicle-km ratio consolidated / shop-by-shop: {ratio:.3f}")
        reasons: dict[str, int] = {}
        for u in run.unplanned:
            reasons[u["reason"]] = reasons.get(u["reason"], 0) + len(u["order_ids"])
        for code, n in reasons.items():
            self.stdout.write(f"  unplanned: {n} orders: {reason_text(code)[0]}")
