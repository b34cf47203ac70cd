"""`safeops intake_device KEY DEVICE_ID --school ID [--room ROOM]` places a badge or button of
an integration at a school (registering it again moves it)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeops.dispatch.management.commands.intake_integration import _messages
from safeops.dispatch.services.intake import intake_device_register, integration_get
from safeops.schools.models import School

ACTOR = "command:intake_device"


class Command(BaseCommand):
    help = "Register (or move) an alarm device of an integration at a school and room."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("key", help="The integration's key.")
        parser.add_argument("device_id", help="The device id the sender reports.")
        parser.add_argument("--school", type=int, required=True, help="The school id.")
        parser.add_argument("--room", default="", help="Where in the school (e.g. Room 114).")

    def handle(self, *args: Any, **options: Any) -> None:
        school = School.objects.filter(pk=options["school"]).first()
        if school is None:
            raise CommandError(f"--school: no school with id {options['school']}.")
        try:
            device = intake_device_register(
                actor=ACTOR,
                integration=integration_get(key=options["key"]),
                device_id=options["device_id"],
                school=school,
                room=options["room"],
            )
        except ValidationError as error:
            raise CommandError(_messages(error)) from None
        self.stdout.write(f"device {device.device_id} at {school.name} {device.room}".rstrip())
