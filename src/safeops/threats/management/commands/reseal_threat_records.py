"""`safeops reseal-threat-records`: after putting a new key first in FIELD_ENCRYPTION_KEY,
re-encrypt every sealed threat column (and attachment) with it, so the old key can be removed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from safeops.threats.retention import reseal_all


class Command(BaseCommand):
    help = "Re-encrypt sealed threat-assessment fields with the first FIELD_ENCRYPTION_KEY."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = reseal_all()
        for label, count in counts.items():
            self.stdout.write(f"{label}: {count} row(s) re-sealed")
