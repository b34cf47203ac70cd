"""`safeops intake_integration add KEY --district ID --name NAME` registers a panic/badge system
and prints its signing secret once; `rotate KEY` replaces the secret."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeops.dispatch.services.intake import integration_register, integration_rotate_secret
from safeops.schools.models import District

ACTOR = "command:intake_integration"


class Command(BaseCommand):
    help = "Register an alarm integration (prints its signing secret once), or rotate the secret."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["add", "rotate"])
        parser.add_argument("key", help="The integration's key (letters, digits, - and _).")
        parser.add_argument("--district", type=int, help="add: the district id.")
        parser.add_argument("--name", default="", help="add: a readable name.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "add":
                district = District.objects.filter(pk=options["district"] or 0).first()
                if district is None:
                    raise CommandError("--district: give the id of an existing district.")
                integration, secret = integration_register(
                    actor=ACTOR,
                    district=district,
                    key=options["key"],
                    name=options["name"] or options["key"],
                )
            else:
                integration, secret = integration_rotate_secret(actor=ACTOR, key=options["key"])
        except ValidationError as error:
            raise CommandError(_messages(error)) from None
        self.stdout.write(f"integration {integration.key} (district {integration.district_id})")
        self.stdout.write(f"secret {secret}")
        self.stdout.write("Give the secret to the sender now: it is not shown again.")


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(f"{field}: {' '.join(m)}" for field, m in error.message_dict.items())
    return " ".join(error.messages)
