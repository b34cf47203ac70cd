"""Issue 13, finding 2: every uploaded image is re-encoded without metadata."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image, PngImagePlugin

from safeops.core.crypto import decrypt_bytes, encrypt_bytes
from safeops.core.images import IMAGE_UNREADABLE, image_without_metadata
from safeops.core.models import AuditEntry
from safeops.core.uploads import JPEG, PDF, PNG, read_checked_upload
from safeops.safetyplans.models import PlanAttachment
from safeops.safetyplans.services import attachment_add, plan_create
from safeops.staff.choices import Role
from safeops.threats.models import TipAttachment
from safeops.threats.tips import tip_submit
from safeops.training.services import certificate_attach
from tests.safeops.drills.helpers import kentucky_year
from tests.safeops.factories import ScenarioDistrict
from tests.safeops.images import CAMERA, has_metadata, jpeg_with_gps
from tests.safeops.training.helpers import done, seed

pytestmark = pytest.mark.shared_scenario


def test_a_jpeg_loses_its_gps_and_camera() -> None:
    cleaned = image_without_metadata(jpeg_with_gps(), JPEG)
    assert not has_metadata(cleaned)
    with Image.open(io.BytesIO(cleaned)) as image:
        assert (image.format, image.size) == ("JPEG", (16, 12))


def test_a_png_loses_its_text_and_exif_chunks() -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Reporter Name")
    exif = Image.Exif()
    exif[0x010F] = CAMERA
    buffer = io.BytesIO()
    Image.new("RGBA", (4, 4), (1, 2, 3, 128)).save(buffer, "PNG", pnginfo=info, exif=exif)
    cleaned = image_without_metadata(buffer.getvalue(), PNG)
    assert b"Reporter Name" not in cleaned and CAMERA.encode() not in cleaned
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.mode == "RGBA" and image.getpixel((0, 0)) == (1, 2, 3, 128)


def test_the_picture_is_turned_upright_before_the_orientation_tag_goes() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20)).save(buffer, "JPEG", exif=exif)
    with Image.open(io.BytesIO(image_without_metadata(buffer.getvalue(), JPEG))) as image:
        assert image.size == (20, 40)


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + b"0" * 64,
        b"\xff\xd8\xff\xe0" + b"\0" * 40,
        jpeg_with_gps()[:300],  # cut short
    ],
)
def test_an_image_that_cannot_be_decoded_is_refused_naming_the_field(data: bytes) -> None:
    upload = SimpleUploadedFile("x.bin", data)
    with pytest.raises(ValidationError) as caught:
        read_checked_upload(upload, allowed=(PNG, JPEG))
    assert caught.value.message_dict == {"file": [str(IMAGE_UNREADABLE)]}


def test_a_pdf_is_kept_as_sent() -> None:
    pdf = b"%PDF-1.4\n% a document\n"
    assert read_checked_upload(SimpleUploadedFile("a.pdf", pdf), allowed=(PDF,)) == (pdf, PDF)


def test_floor_plans_and_training_certificates_are_stored_without_gps(
    scenario: ScenarioDistrict,
) -> None:
    sa = scenario.users[Role.SAFETY_ADMINISTRATOR]
    year = kentucky_year(scenario.district, start_year=2026)
    plan = plan_create(school=scenario.school_a, school_year=year, actor=sa)  # type: ignore[arg-type]
    floor_plan = attachment_add(
        plan=plan,
        kind="floor_plan",
        title="Floor",
        upload=SimpleUploadedFile("plan.jpg", jpeg_with_gps()),
        actor=sa,  # type: ignore[arg-type]
    )
    seed(scenario.district)
    completion = done(
        scenario.people[Role.SAFETY_ADMINISTRATOR], "de-escalation", 8, dt.date(2026, 9, 1)
    )
    certificate = certificate_attach(
        upload=SimpleUploadedFile("cert.jpg", jpeg_with_gps()),
        actor=sa,  # type: ignore[arg-type]
        completion=completion,
    )
    for stored in (floor_plan, certificate):
        with stored.file.open("rb") as handle:
            data = handle.read()
        assert data.startswith(b"\xff\xd8\xff") and not has_metadata(data), stored


def test_the_command_cleans_images_stored_before_uploads_were_cleaned(
    scenario: ScenarioDistrict,
) -> None:
    old = jpeg_with_gps()
    digest = hashlib.sha256(old).hexdigest()
    tip = tip_submit(
        district=scenario.district,
        school=scenario.school_a,
        place="",
        what="a threat",
        when_text="",
        urgency="soon",  # type: ignore[arg-type]
        address="192.0.2.1",
    ).tip
    sealed = TipAttachment.objects.create(
        tip=tip,
        file=default_storage.save("threats/tips/old.bin", ContentFile(encrypt_bytes(old))),
        content_type=JPEG,
        size=len(old),
        digest=digest,
    )
    sa = scenario.users[Role.SAFETY_ADMINISTRATOR]
    year = kentucky_year(scenario.district, start_year=2026)
    plan = plan_create(school=scenario.school_a, school_year=year, actor=sa)  # type: ignore[arg-type]
    plain = PlanAttachment.objects.create(
        plan=plan,
        kind="floor_plan",
        title="Old",
        file=default_storage.save("plans/old.jpg", ContentFile(old)),
        content_type=JPEG,
        size=len(old),
        digest=digest,
    )
    out = io.StringIO()
    call_command("strip_image_metadata", "--dry-run", stdout=out)
    assert "threats.tipattachment: would clean 1" in out.getvalue()
    call_command("strip_image_metadata", stdout=io.StringIO())
    for row, unseal in ((sealed, decrypt_bytes), (plain, bytes)):
        row.refresh_from_db()
        with row.file.open("rb") as handle:
            data = unseal(handle.read())
        assert data.startswith(b"\xff\xd8\xff") and not has_metadata(data)
        assert (row.size, row.digest) == (len(data), hashlib.sha256(data).hexdigest())
    assert AuditEntry.objects.filter(actor_label="system:strip-image-metadata").count() == 2
    again = io.StringIO()
    call_command("strip_image_metadata", stdout=again)
    assert "threats.tipattachment: cleaned 0" in again.getvalue()
    assert "safetyplans.planattachment: cleaned 0" in again.getvalue()
