"""Uploaded images lose their metadata: every JPEG and PNG is decoded and re-encoded by Pillow
before it is stored, so EXIF (GPS position, camera serial, time, owner), XMP, IPTC and PNG text
chunks are never kept. The picture is turned upright first (the EXIF orientation is applied to
the pixels). The colour profile (ICC) is kept: it describes colours, not the sender.

An image Pillow cannot decode cannot be cleaned, so it is refused. PDFs are not touched here.
"""

from __future__ import annotations

import io
import warnings

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

PNG, JPEG = "image/png", "image/jpeg"
IMAGE_UNREADABLE = _("The image could not be read: send an undamaged JPEG or PNG file.")
_FORMATS = {PNG: "PNG", JPEG: "JPEG"}
_JPEG_MODES = ("L", "RGB", "CMYK")
_KEEP_INFO = ("transparency", "dpi")


def image_without_metadata(data: bytes, content_type: str) -> bytes:
    """The image re-encoded with no metadata; ValidationError({"file": ...}) if unreadable."""
    target = _FORMATS[content_type]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as opened:
                if opened.format != target:
                    raise ValidationError({"file": IMAGE_UNREADABLE})
                icc = opened.info.get("icc_profile")
                image = ImageOps.exif_transpose(opened)
                if target == "JPEG" and image.mode not in _JPEG_MODES:
                    image = image.convert("RGB")
                # Pillow writes some of `info` (EXIF, XMP) back when saving: keep only what
                # draws the picture.
                image.info = {k: v for k, v in image.info.items() if k in _KEEP_INFO}
                out = io.BytesIO()
                options: dict[str, object] = {"icc_profile": icc} if icc else {}
                if target == "JPEG":
                    options["quality"] = 90
                image.save(out, format=target, **options)
    except Exception:  # any failure to decode untrusted bytes means the image is unreadable
        raise ValidationError({"file": IMAGE_UNREADABLE}) from None
    return out.getvalue()


_METADATA_INFO = ("exif", "xmp", "XML:com.adobe.xmp", "comment", "photoshop", "iptc")


def image_has_metadata(data: bytes) -> bool:
    """Does this stored image still carry metadata (EXIF, XMP, IPTC, comments, PNG text)?"""
    try:
        with Image.open(io.BytesIO(data)) as image:
            text = getattr(image, "text", {})  # PNG text chunks (read to the end)
            return bool(image.getexif() or text or any(key in image.info for key in _METADATA_INFO))
    except Exception:  # an unreadable file: leave it to a person
        return False
