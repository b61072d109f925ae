"""`linli load-demo` (run by `make demo` after migrate): the Wangjing demo, safe to run twice."""

from __future__ import annotations

import sys
import unicodedata
from typing import Any

from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from linli.community.errors import CommunityError
from linli.demo.load import demo_load_all
from linli.demo.orders import demo_orders_load
from linli.shops.demo.personas import DEMO_PASSWORD


def _pad(text: str, width: int) -> str:
    """Left-align in a terminal column: CJK characters take two cells."""
    cells = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(1, width - cells)


class Command(BaseCommand):
    help = "Load the demo community (Wangjing, Beijing) with shops and one account per role."

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            # The demo's own notices (parcels arrived…) are kept in the app, not printed as SMS:
            # residents see them on their pages; the console is for the account table.
            with override_settings(LINLI_SMS_BACKEND="linli.accounts.sms.MemorySmsBackend"):
                full = demo_load_all()
                full.extra.update(demo_orders_load())
        except CommunityError as exc:
            self.stderr.write(f"{exc.message('zh-hans')}\n{exc.message('en')}")
            sys.exit(2)
        s = full.base
        self.stdout.write(self.style.SUCCESS(f"{s.community.name} ({s.community.name_en})"))
        if opts["verbosity"] > 1:
            for line in s.imported.lines():
                self.stdout.write(f"  {line}")
        for k, v in {**s.numbers, **full.extra}.items():
            self.stdout.write(f"  {k}: {v}")
        g = s.generated
        self.stdout.write(
            f"  generated merchants: {g.created} new, {g.existing} already there; "
            f"{g.formats_filled} formats the map lacked"
        )
        self.stdout.write("")
        self.stdout.write("Demo accounts 演示账号 (resident: SMS code printed on this console)")
        header = _pad("role", 19) + _pad("name", 8) + _pad("phone", 13) + _pad("password", 12)
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for p, user in s.accounts:
            pw = p.password or "SMS 验证码"
            row = _pad(p.role, 19) + _pad(user.display_name, 8) + _pad(p.phone, 13) + _pad(pw, 12)
            self.stdout.write(row + p.note)
        self.stdout.write(f"(password for every non-resident account: {DEMO_PASSWORD})")
