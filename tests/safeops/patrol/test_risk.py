"""A threat case's "increase presence" protective action raises its school's patrol risk
(counts by school only) while the case is open."""

from __future__ import annotations

import pytest
from django.utils import timezone

from safeops.core.models import AuditEntry
from safeops.patrol.risk import PRESENCE_WEIGHT, school_risks
from safeops.threats.choices import RecordKind, Stage
from safeops.threats.services import case_record_add, missing_requirements
from tests.safeops.patrol.conftest import PatrolScenario
from tests.safeops.threats.helpers import make_case

pytestmark = pytest.mark.shared_scenario


@pytest.mark.django_db
def test_increase_presence_feeds_the_schools_risk(patrol: PatrolScenario) -> None:
    s = patrol.s
    case = make_case(s.high_a)
    other = make_case(s.high_b)
    case_record_add(
        case=other, kind=RecordKind.NOTE, body="spoke to the family", actor=patrol.chief
    )

    def risks() -> dict[int, float]:
        return school_risks(district_id=s.district.pk, today=timezone.localdate(), days=30)

    assert s.high_a.pk not in risks()  # an open case alone, at evaluation, is not protective
    record = case_record_add(
        case=case,
        kind=RecordKind.INCREASE_PRESENCE,
        body="SSO seen at dismissal for two weeks",
        actor=patrol.chief,
    )
    assert AuditEntry.objects.filter(model="threats.caserecord", object_id=str(record.pk)).exists()
    assert risks()[s.high_a.pk] == 1.0 + PRESENCE_WEIGHT
    assert s.high_b.pk not in risks()  # another kind of record asks nothing of the patrols
    case.closed_at = timezone.now()
    case.save(update_fields=["closed_at"])
    assert s.high_a.pk not in risks()


@pytest.mark.django_db
def test_increase_presence_counts_as_the_protective_action_a_plan_needs(
    patrol: PatrolScenario,
) -> None:
    case = make_case(patrol.s.high_a)
    case.stage = Stage.SERIOUS
    case.save(update_fields=["stage"])
    assert RecordKind.PROTECTIVE_ACTION in missing_requirements(case, Stage.PLAN)
    case_record_add(
        case=case, kind=RecordKind.INCREASE_PRESENCE, body="patrol at dismissal", actor="system:t"
    )
    assert RecordKind.PROTECTIVE_ACTION not in missing_requirements(case, Stage.PLAN)
