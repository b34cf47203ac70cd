"""Enrollment import: the generic format for any district, and JCPS's KYRC24 files (skipped
when ../shared/data/jcps is not beside the repository)."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from safeops.core.importing import Rejected
from safeops.reports.enrollment import enrollment_import
from safeops.reports.models import Enrollment
from tests.conftest import SHARED_DATA
from tests.safeops.factories import DistrictFactory, SchoolFactory

pytestmark = pytest.mark.django_db
# The JCPS files (SAFEOPS_JCPS_DATA when they are not laid beside the repository)
JCPS = Path(os.environ.get("SAFEOPS_JCPS_DATA", str(SHARED_DATA)))


def test_the_generic_format_for_any_district() -> None:
    district = DistrictFactory()
    SchoolFactory(district=district, code="100001")
    text = (
        "school_code,kind,group,count\n"
        '100001,all,all,"1,200"\n'
        "100001,race_ethnicity,white,700\n"
        "100001,english_learner,yes,90\n"
    )
    outcome = enrollment_import(district_id=district.pk, school_year="2025-26", text=text)
    assert outcome.result.written == 3
    assert Enrollment.objects.get(kind="all").count == 1200
    # again: replaced, not doubled
    enrollment_import(district_id=district.pk, school_year="2025-26", text=text)
    assert Enrollment.objects.count() == 3


def test_a_bad_file_names_every_problem_and_writes_nothing() -> None:
    district = DistrictFactory()
    SchoolFactory(district=district, code="100001")
    text = "school_code,kind,group,count\n999999,all,all,5\n100001,colour,red,5\n100001,all,all,x\n"
    with pytest.raises(Rejected) as rejected:
        enrollment_import(district_id=district.pk, school_year="2025-26", text=text)
    assert [issue.line for issue in rejected.value.issues] == [2, 3, 4]
    assert not Enrollment.objects.exists()


def test_jcps_kyrc24_membership_and_the_disability_and_english_learner_counts() -> None:
    membership = JCPS / "KYRC24_OVW_Student_Membership_JeffersonCounty.csv"
    econ = JCPS / "KYRC24_OVW_Economically_Disadvantaged_JeffersonCounty.csv"
    if not membership.exists() or not econ.exists():
        pytest.skip(f"JCPS data not found at {JCPS}")
    district = DistrictFactory()
    # Atherton High (275018): membership 1,780-odd; a school of another district is skipped
    atherton = SchoolFactory(district=district, code="275018")
    year = "2023-24"
    outcome = enrollment_import(
        district_id=district.pk, school_year=year, text=membership.read_text(encoding="utf-8")
    )
    assert outcome.result.skipped > 1000  # every other JCPS school and the district total
    counts = {(e.kind, e.group): e.count for e in Enrollment.objects.filter(school=atherton)}
    assert counts[("sex", "female")] + counts[("sex", "male")] == counts[("all", "all")]
    assert counts[("all", "all")] == outcome_all(membership, "275018")
    # The economically disadvantaged file has membership by disability and English learner
    # status column, but KYRC24 leaves it empty: nothing to import (JCPS needs the generic
    # format for those two denominators), and the membership counts stay.
    econ_outcome = enrollment_import(
        district_id=district.pk, school_year=year, text=econ.read_text(encoding="utf-8")
    )
    assert econ_outcome.result.written == 0
    assert Enrollment.objects.filter(school=atherton).count() == len(counts)


def outcome_all(path: Path, code: str) -> int:
    """The All Students / All Grades count of a school, read straight from the file."""
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["School Code"] == code and row["Demographic"] == "All Students":
                return int(row["All Grades"].replace(",", ""))
    raise AssertionError(code)
