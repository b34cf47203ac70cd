"""`safeops import-training FILE [--district NAME]`: LMS completions from CSV, validated whole."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeops.schools.models import District
from safeops.training.services import TrainingImportError, completions_import_csv

ACTOR = "system:import-training"
ERROR_REJECTED = "{count} in {file}; nothing was written"
NEEDS_DISTRICT = "Several districts exist: name one with --district."
NO_DISTRICT = "No district {name!r}."


class Command(BaseCommand):
    help = (
        "Import training completions exported from the LMS (CSV: email, completed_on, topic or "
        "course; hours, provider, lms_id optional). Every line is checked first; if any is "
        "wrong, each problem is listed with its line number and nothing is written. Rows with "
        "an lms_id update that completion, so re-importing changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--district", help="District name (needed when several exist).")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        districts = District.objects.all()
        if options["district"]:
            district = districts.filter(name=options["district"]).first()
            if district is None:
                raise CommandError(NO_DISTRICT.format(name=options["district"]))
        elif districts.count() == 1:
            district = districts.get()
        else:
            raise CommandError(NEEDS_DISTRICT)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{path}: {error}") from error
        try:
            result = completions_import_csv(district=district, text=text, actor=ACTOR)
        except TrainingImportError as error:
            for problem in error.errors:
                self.stderr.write(problem)
            count = len(error.errors)
            errors = f"{count} error" if count == 1 else f"{count} errors"
            raise CommandError(ERROR_REJECTED.format(count=errors, file=path.name)) from error
        self.stdout.write(
            f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged"
            f" in district {district.name!r}"
        )
