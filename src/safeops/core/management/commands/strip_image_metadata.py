"""`safeops strip-image-metadata [--dry-run]`: re-encode stored images that still carry metadata
(uploaded before uploads were cleaned), in every upload table (`core.StoredUpload`): tip
attachments (decrypted, cleaned, encrypted again), floor plans, finding photos, certificates.
Each changed row is saved through `model_update` (audited). Images already clean are left alone,
so running it twice changes nothing."""

from __future__ import annotations

import hashlib
from typing import Any

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandParser

from safeops.core.crypto import decrypt_bytes, encrypt_bytes
from safeops.core.images import JPEG, PNG, image_has_metadata, image_without_metadata
from safeops.core.models import StoredUpload
from safeops.core.services import model_update

ACTOR = "system:strip-image-metadata"
PLAIN_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


class Command(BaseCommand):
    help = "Re-encode stored images that still carry metadata (EXIF, GPS)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count, change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        for model in apps.get_models():
            if not issubclass(model, StoredUpload):
                continue
            cleaned = 0
            rows: Any = model._default_manager.filter(content_type__in=(PNG, JPEG))
            for row in rows.order_by("pk"):
                with row.file.open("rb") as handle:
                    raw = handle.read()
                sealed = not raw.startswith(PLAIN_SIGNATURES)  # tip attachments are encrypted
                data = decrypt_bytes(raw) if sealed else raw
                if not image_has_metadata(data):
                    continue
                cleaned += 1
                if options["dry_run"]:
                    continue
                clean = image_without_metadata(data, row.content_type)
                name = row.file.name
                row.file.storage.delete(name)
                saved = row.file.storage.save(
                    name, ContentFile(encrypt_bytes(clean) if sealed else clean)
                )
                model_update(
                    instance=row,
                    actor=ACTOR,
                    data={
                        "file": saved,
                        "size": len(clean),
                        "digest": hashlib.sha256(clean).hexdigest(),
                    },
                    note="image metadata removed",
                )
            verb = "would clean" if options["dry_run"] else "cleaned"
            self.stdout.write(f"{model._meta.label_lower}: {verb} {cleaned} image(s)")
