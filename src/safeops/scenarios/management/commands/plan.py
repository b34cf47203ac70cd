"""`safeops plan`: the zone planner on a schools file (see `safeops plan --help`).

The planning package owns the command line (planning.cli); this command only hands it the
arguments, so `safeops plan` and `python -m planning` behave the same.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from planning.cli import main as planning_main


class Command(BaseCommand):
    help = "Design SSO patrol zones from a schools CSV/GeoJSON and predict response times."

    def run_from_argv(self, argv: list[str]) -> None:
        sys.exit(planning_main(argv[2:]))

    def handle(self, *args: Any, **options: Any) -> None:
        status = planning_main(list(args))
        if status:
            sys.exit(status)
