"""Real image files for upload tests (uploads are decoded and re-encoded without metadata)."""

from __future__ import annotations

import io

from PIL import Image

CAMERA = "SecretCam 9000"
GPS_IFD = 0x8825


def png_bytes(size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_with_gps() -> bytes:
    """A JPEG carrying a GPS position (Louisville) and a camera name in its EXIF."""
    exif = Image.Exif()
    exif[0x010F] = CAMERA  # Make
    exif[GPS_IFD] = {1: "N", 2: (38.0, 15.0, 30.0), 3: "W", 4: (85.0, 45.0, 10.0)}
    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), (200, 30, 30)).save(buffer, format="JPEG", exif=exif)
    data = buffer.getvalue()
    assert b"Exif" in data and CAMERA.encode() in data
    return data


def has_metadata(data: bytes) -> bool:
    with Image.open(io.BytesIO(data)) as image:
        return bool(image.getexif()) or b"Exif" in data or CAMERA.encode() in data
