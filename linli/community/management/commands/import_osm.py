"""`linli import-osm FILE --community NAME [--city --district --street-office]`.

Exit codes: 0 imported, 2 the file cannot be used (nothing was written).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from linli.community.errors import CommunityError
from linli.community.osm_import import community_import_osm


class Command(BaseCommand):
    help = "Import an OpenStreetMap extract (.osm/.osm.pbf) into a community (re-import updates)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="path to an .osm or .osm.pbf file")
        parser.add_argument("--community", required=True, help="community name (社区名称)")
        parser.add_argument("--city", default="", help="city (城市), e.g. 北京市")
        parser.add_argument("--district", default="", help="district (区), e.g. 朝阳区")
        parser.add_argument("--street-office", default="", help="street office (街道)")
        parser.add_argument("--name-en", default="", help="English name")
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    def handle(self, *args: Any, **opts: Any) -> None:
        bar: tqdm[Any] | None = None
        if not opts["no_progress"] and opts["verbosity"] > 0:
            size = Path(opts["file"]).stat().st_size if Path(opts["file"]).is_file() else 0
            bar = tqdm(total=size, unit="B", unit_scale=True, desc="reading", file=sys.stderr)

        def progress(done: int, total: int) -> None:
            if bar is not None:
                bar.total = total
                bar.n = done
                bar.refresh()

        try:
            summary = community_import_osm(
                path=opts["file"],
                community_name=opts["community"],
                city=opts["city"],
                district=opts["district"],
                street_office=opts["street_office"],
                name_en=opts["name_en"],
                on_progress=progress,
            )
        except CommunityError as exc:
            if bar is not None:
                bar.close()
            self.stderr.write(f"{exc.message('zh-hans')}\n{exc.message('en')}")
            self.stderr.write(
                "导入已取消，数据库未改动。Import cancelled; the database is unchanged."
            )
            sys.exit(2)
        if bar is not None:
            bar.close()
        for line in summary.lines():
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(f"imported {opts['community']} in {summary.seconds:.1f} s")
        )
