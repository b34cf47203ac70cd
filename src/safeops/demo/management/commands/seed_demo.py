from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeops.demo.services import DEMO_PASSWORD, DemoLogin, demo_logins, demo_seed
from safeops.schools.models import School


class Command(BaseCommand):
    help = (
        "Generate the fictional demo district (deterministic for a seed) with one login per role."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--schools", type=int, default=150)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (but print the logins) if schools already exist.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and School.objects.exists():
            self.stdout.write("The database already has schools; the demo was not loaded again.")
            self._print_logins(demo_logins())
            return
        try:
            report = demo_seed(seed=options["seed"], schools=options["schools"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {report.district}: {report.schools} schools, "
                f"{report.zones} zones, {report.people} staff."
            )
        )
        self._print_logins(report.logins)

    def _print_logins(self, logins: list[DemoLogin]) -> None:
        if not logins:
            return
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for login in logins:
            scope = f"  — {login.scope}" if login.scope else ""
            self.stdout.write(f"  {login.username:<26} {login.role}{scope}")
