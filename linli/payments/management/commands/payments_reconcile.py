"""Print the day's payment reconciliation: `manage.py payments_reconcile --day 2026-05-01 [--json]`."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from linli.payments.reconciliation import reconciliation_report


class Command(BaseCommand):
    help = "Compare payments captured on a day (Asia/Shanghai) with what callers expected."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--day", help="YYYY-MM-DD (default: yesterday, Asia/Shanghai)")
        parser.add_argument("--json", action="store_true", help="print JSON instead of text")

    def handle(self, *args: object, **options: object) -> None:
        raw = options.get("day")
        if raw:
            try:
                day = date.fromisoformat(str(raw))
            except ValueError as e:
                raise CommandError(f"--day must be YYYY-MM-DD, got {raw!r}") from e
        else:
            day = timezone.localdate() - timedelta(days=1)
        report = reconciliation_report(day=day)
        self.stdout.write(report.as_json() if options.get("json") else report.as_text())
