"""Upload checks shared by every upload (floor plans, finding photos, training certificates, tip
attachments): the size limit and the real type, read from the file's first bytes (magic
numbers), never from its name. Images are re-encoded without their metadata (EXIF, GPS) by
`safeops.core.images`; PDFs are kept as sent."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from safeops.core.images import image_without_metadata

FILE_TOO_LARGE = _("The file is larger than {limit} MB.")
FILE_TYPE_REFUSED = _("Only {kinds} files are accepted (checked by their content).")
PDF, PNG, JPEG = "application/pdf", "image/png", "image/jpeg"
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
)
NAMES = {PDF: "PDF", PNG: "PNG", JPEG: "JPEG"}


def max_upload_bytes() -> int:
    return int(getattr(settings, "SAFEOPS_UPLOAD_MAX_BYTES", 10 * 1024 * 1024))


def sniff_content_type(head: bytes) -> str | None:
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def read_checked_upload(upload: UploadedFile, *, allowed: tuple[str, ...]) -> tuple[bytes, str]:
    """The bytes to store (an image without metadata) and the sniffed content type;
    ValidationError if too large, not allowed, or an image that cannot be decoded."""
    limit = max_upload_bytes()
    too_large = FILE_TOO_LARGE.format(limit=limit // (1024 * 1024))
    if upload.size is None or upload.size > limit:
        raise ValidationError({"file": too_large})
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError({"file": too_large})
    content_type = sniff_content_type(data[:16])
    if content_type not in allowed:
        kinds = ", ".join(NAMES[c] for c in allowed)
        raise ValidationError({"file": FILE_TYPE_REFUSED.format(kinds=kinds)})
    if content_type in (PNG, JPEG):
        data = image_without_metadata(data, content_type)
    return data, content_type
