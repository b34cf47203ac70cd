"""threats 0002: cases take the shared demographic vocabulary (safeops.core.demographics). A value
nobody gave, stored as "" before, becomes "not_reported", and back again when unapplied; an
enrollment row for that group moves with it unless the district already has one."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from safeops.schools.models import District
from safeops.staff.choices import Role
from safeops.threats.models import EnrollmentGroup, ThreatCase
from tests.safeops.factories import ScenarioDistrict
from tests.safeops.threats.helpers import make_case

BEFORE = [("threats", "0001_initial")]


def _migrate(targets: list[tuple[str, str]] | None = None) -> None:
    """To `targets`, or forward to every app's latest migration."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


def _stored(case: ThreatCase) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT disability_status, race_ethnicity FROM threats_threatcase WHERE id = %s",
            [case.pk],
        )
        row = cursor.fetchone()
    return (row[0], row[1])


def _groups() -> list[tuple[int, str, str, int]]:
    with connection.cursor() as cursor:
        cursor.execute(
            'SELECT district_id, dimension, "group", students FROM threats_enrollmentgroup'
            ' ORDER BY district_id, dimension, "group"'
        )
        return [tuple(row) for row in cursor.fetchall()]


@pytest.mark.django_db(transaction=True)
def test_not_reported_goes_back_to_blank_and_forward_again(scenario: ScenarioDistrict) -> None:
    unreported = make_case(scenario.school_a)
    reported = make_case(scenario.school_a)
    ThreatCase.objects.filter(pk=reported.pk).update(
        disability_status="idea", race_ethnicity="asian"
    )
    district = scenario.district.pk
    other = District.objects.create(name="Other district").pk
    EnrollmentGroup.objects.create(
        district_id=district, dimension="race", group="not_reported", students=40
    )
    EnrollmentGroup.objects.create(
        district_id=district, dimension="race", group="asian", students=9
    )
    assert _stored(unreported) == ("not_reported", "not_reported")
    _migrate(BEFORE)
    try:
        assert _stored(unreported) == ("", "")
        assert _stored(reported) == ("idea", "asian")
        assert _groups() == [(district, "race", "", 40), (district, "race", "asian", 9)]
        # Rows written before the change; one district has both names for the group.
        with connection.cursor() as cursor:
            for district_id, name, students in (
                (district, "", 1),
                (district, "not_reported", 2),
                (other, "", 3),
            ):
                cursor.execute(
                    "INSERT INTO threats_enrollmentgroup"
                    ' (district_id, dimension, "group", students)'
                    " VALUES (%s, 'disability', %s, %s)",
                    [district_id, name, students],
                )
    finally:
        _migrate()
    assert _stored(unreported) == ("not_reported", "not_reported")
    assert _stored(reported) == ("idea", "asian")
    assert _groups() == [
        (district, "disability", "", 1),  # the district's own "not_reported" row is kept
        (district, "disability", "not_reported", 2),
        (district, "race", "asian", 9),
        (district, "race", "not_reported", 40),
        (other, "disability", "not_reported", 3),
    ]


@pytest.mark.django_db
def test_the_case_form_starts_on_not_reported(scenario: ScenarioDistrict) -> None:
    """Left as it opens, the form records no disability status or race (not the first option)."""
    page = Client()
    page.force_login(scenario.users[Role.SAFETY_ADMINISTRATOR])  # type: ignore[arg-type]
    html = page.get("/threats/cases/new/").content.decode()
    for field in ("disability_status", "race_ethnicity"):
        select = html[html.index(f'name="{field}"') :]
        select = select[: select.index("</select>")]
        assert '<option value="not_reported" selected>' in select
