"""The `linli` console script.

Pure commands (`linli reach FILE`) run without Django or a database, so planners can check our
numbers on any OSM file. Every other word is a Django management command (`linli migrate`,
`linli load_demo`, `linli import-osm …`).
"""

from __future__ import annotations

import importlib
import os
import sys

# Commands that need no database: name -> module with main(argv) -> int.
PURE_COMMANDS = {
    "reach": "linli.community.reach.cli",
    "vrp-solve": "linli.delivery.routing.cli",
}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in PURE_COMMANDS:
        module = importlib.import_module(PURE_COMMANDS[args[0]])
        return int(module.main(args[1:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(
        ["linli", *[a.replace("-", "_") if i == 0 else a for i, a in enumerate(args)]]
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
