"""`safeops backup` / `safeops restore`: back up a district with sealed threat records and an
uploaded file, wipe, restore, and find every table's count, the sealed narratives and the file's
bytes as they were; a tampered archive changes nothing. Runs on SQLite and, in the PostgreSQL
pass, on PostgreSQL (pg_dump/psql): the dump must see committed data, so tests are
transactional."""

from __future__ import annotations

import io
import json
import re
import shutil
import tarfile
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.conf import settings as django_settings
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone
from PIL import Image

from safeops.core.backup import BackupError, backup_unpack
from safeops.core.crypto import decrypt_bytes
from safeops.core.models import AuditEntry, DisciplineRefusalRecord
from safeops.threats.choices import CaseSource
from safeops.threats.models import ThreatCase, TipAttachment
from safeops.threats.services import case_open
from safeops.threats.tips import tip_submit
from tests.safeops.factories import build_scenario
from tests.safeops.images import png_bytes

pytestmark = pytest.mark.django_db(transaction=True)

KEY = Fernet.generate_key().decode()
NARRATIVE = "Kyle said he will bring his uncle's rifle to the pep rally"
PNG = png_bytes()  # a real image: uploads are decoded and re-encoded without metadata


@pytest.fixture
def media(tmp_path: Path, settings: Any) -> Path:
    """Uploads on disk (the production storage), and a real Fernet key (not the derived one)."""
    root = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    settings.MEDIA_ROOT = root
    settings.FIELD_ENCRYPTION_KEYS = [KEY]
    return root


def _seed() -> ThreatCase:
    scenario = build_scenario(today=timezone.localdate())
    png = SimpleUploadedFile("p.png", PNG, content_type="image/png")
    receipt = tip_submit(
        district=scenario.district,
        school=scenario.school_a,
        place="Gym",
        what=NARRATIVE,
        when_text="Friday",
        urgency="soon",  # type: ignore[arg-type]
        attachments=[png],
        address="198.51.100.1",
    )
    return case_open(
        school=scenario.school_a,
        source=CaseSource.TIP,
        subject="K.M.",
        grade="10",
        concern=NARRATIVE,
        tip=receipt.tip,
        actor="system:test",
    )


def _counts() -> dict[str, int]:
    """Rows per table of every model Django knows (auto-created many-to-many tables included)."""
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            counts[model._meta.db_table] = model._base_manager.count()
    return counts


def _media_bytes(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive, "r:gz") as tar:
        return {
            member.name: tar.extractfile(member).read()  # type: ignore[union-attr]
            for member in tar.getmembers()
        }


def _rewrite(archive: Path, members: dict[str, bytes]) -> None:
    with tarfile.open(archive, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def _backup(tmp_path: Path) -> Path:
    out = io.StringIO()
    call_command("backup", out=tmp_path / "backups", stdout=out)
    (archive,) = (tmp_path / "backups").glob("*.tar.gz")
    assert str(archive) in out.getvalue()
    return archive


def test_backup_wipe_restore_brings_back_every_row_sealed_field_and_file(
    media: Path, tmp_path: Path
) -> None:
    case = _seed()
    attachment = TipAttachment.objects.get()
    default_storage = storages["default"]
    plain_name = default_storage.save("plans/floor.pdf", io.BytesIO(b"%PDF-1.4 floor plan"))
    before = _counts()
    files_before = _media_bytes(media)
    assert attachment.file.name in files_before and plain_name in files_before
    assert min(before[m._meta.db_table] for m in (ThreatCase, TipAttachment)) == 1

    archive = _backup(tmp_path)

    members = _members(archive)
    manifest = json.loads(members["manifest.json"])
    assert manifest["database"]["engine"] == connection.vendor
    assert manifest["migrations"]["threats"] and manifest["tables"]["threats_threatcase"] == 1
    assert {entry["path"] for entry in manifest["files"]} == set(members) - {"manifest.json"}
    everything = [archive.read_bytes(), *members.values()]
    for secret in (KEY, django_settings.SECRET_KEY, NARRATIVE):
        assert not any(secret.encode() in data for data in everything), secret
    assert any(b"fernet:" in data for data in members.values())  # the narrative, sealed

    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media)
    assert ThreatCase.objects.count() == 0 and not media.exists()

    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)

    assert "every table's count matches" in out.getvalue()
    after = _counts()
    audit = AuditEntry._meta.db_table
    assert after.pop(audit) == before.pop(audit) + 1  # the restore's own entry
    assert after == before
    entry = AuditEntry.objects.first()
    assert entry is not None and entry.actor_label == "system:backup" and entry.action == "update"
    restored = ThreatCase.objects.get(pk=case.pk)
    assert restored.concern == NARRATIVE and restored.subject == "K.M."
    assert _media_bytes(media) == files_before
    attachment = TipAttachment.objects.get()
    with attachment.file.open("rb") as handle:
        restored_image = decrypt_bytes(handle.read())
    assert Image.open(io.BytesIO(restored_image)).size == Image.open(io.BytesIO(PNG)).size


def test_restore_refuses_a_target_in_use_and_replaces_it_when_told(
    media: Path, tmp_path: Path
) -> None:
    case = _seed()
    archive = _backup(tmp_path)
    ThreatCase.objects.filter(pk=case.pk).delete()
    storages["default"].save("extra.txt", io.BytesIO(b"written after the backup"))

    with pytest.raises(CommandError, match=r"in use .*--replace"):
        call_command("restore", str(archive))
    assert not ThreatCase.objects.filter(pk=case.pk).exists()

    call_command("restore", str(archive), replace=True, stdout=io.StringIO())

    assert ThreatCase.objects.get(pk=case.pk).concern == NARRATIVE
    assert "extra.txt" not in _media_bytes(media)


def test_a_tampered_archive_is_refused_naming_the_file_and_nothing_changes(
    media: Path, tmp_path: Path
) -> None:
    _seed()
    archive = _backup(tmp_path)
    members = _members(archive)
    (name,) = [n for n in members if n.startswith("media/threats/")]
    data = bytearray(members[name])
    data[-1] ^= 1
    members[name] = bytes(data)
    _rewrite(archive, members)
    before, files_before = _counts(), _media_bytes(media)

    with pytest.raises(CommandError, match=f"{name} is corrupted"):
        call_command("restore", str(archive), replace=True)
    with pytest.raises(CommandError, match=f"{name} is corrupted"):
        call_command("restore", str(archive), verify_only=True)

    assert _counts() == before
    assert _media_bytes(media) == files_before


def test_an_archive_with_an_unknown_migration_is_refused(media: Path, tmp_path: Path) -> None:
    archive = _backup(tmp_path)
    members = _members(archive)
    manifest = json.loads(members["manifest.json"])
    manifest["migrations"]["threats"].append("9999_from_the_future")
    members["manifest.json"] = json.dumps(manifest).encode()
    _rewrite(archive, members)

    with pytest.raises(CommandError, match=r"threats\.9999_from_the_future"):
        call_command("restore", str(archive), verify_only=True)


def test_verify_only_reports_a_good_archive_and_warns_of_a_missing_key(
    media: Path, tmp_path: Path, settings: Any
) -> None:
    archive = _backup(tmp_path)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    out, err = io.StringIO(), io.StringIO()

    call_command("restore", str(archive), verify_only=True, stdout=out, stderr=err)

    assert "OK" in out.getvalue() and "nothing was changed" in out.getvalue()
    assert "lacks 1 of the 1 key" in err.getvalue()


def test_a_backup_from_an_older_schema_is_restored_then_migrated(
    media: Path, tmp_path: Path
) -> None:
    """A backup made before core.0003 restores into today's code, which then applies 0003."""
    newer = "0003_disciplinerefusalrecord"
    call_command("migrate", "core", "0002_job", verbosity=0)
    try:
        archive = _backup(tmp_path)
    finally:
        call_command("migrate", verbosity=0)
    manifest = json.loads(_members(archive)["manifest.json"])
    assert newer not in manifest["migrations"]["core"]
    assert "core_disciplinerefusalrecord" not in manifest["tables"]
    out = io.StringIO()

    call_command("restore", str(archive), replace=True, stdout=out)

    assert f"applied newer migrations: core.{newer}" in out.getvalue()
    assert DisciplineRefusalRecord.objects.count() == 0  # the table is back
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_migrations WHERE name = %s", [newer])
        assert cursor.fetchone()[0] == 1


def test_a_backup_never_overwrites_an_archive_nor_goes_into_the_uploads(
    media: Path, tmp_path: Path
) -> None:
    archive = _backup(tmp_path)
    digest = archive.read_bytes()

    with pytest.raises(CommandError, match="exists"):
        call_command("backup", out=archive)
    with pytest.raises(CommandError, match="inside the uploaded files"):
        call_command("backup", out=media / "backups")

    assert archive.read_bytes() == digest
    assert not (media / "backups").exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("garbage", "not a readable backup archive"),
        ("extra member", "media/added.txt is not in the manifest"),
        ("missing member", "is listed in the manifest but missing"),
        ("database unlisted", "is not in the file list"),
        ("unsafe name", "refused member '../escape.txt'"),
    ],
)
def test_a_damaged_archive_is_refused_before_anything_is_read_from_it(
    media: Path, tmp_path: Path, change: str, message: str
) -> None:
    archive = _backup(tmp_path)
    members = _members(archive)
    manifest = json.loads(members["manifest.json"])
    if change == "garbage":
        archive.write_bytes(archive.read_bytes()[:200])
    elif change == "extra member":
        _rewrite(archive, {**members, "media/added.txt": b"not listed"})
    elif change == "missing member":
        database = manifest["database"]["file"]
        _rewrite(archive, {k: v for k, v in members.items() if k != database})
    elif change == "database unlisted":
        manifest["files"] = [f for f in manifest["files"] if f["path"].startswith("media/")]
        _rewrite(archive, {"manifest.json": json.dumps(manifest).encode()})
    else:
        _rewrite(archive, {**members, "../escape.txt": b"x"})

    with pytest.raises(BackupError, match=re.escape(message)):
        backup_unpack(archive=archive, into=tmp_path / "out")
    assert not (tmp_path / "escape.txt").exists()
