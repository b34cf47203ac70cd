"""Who sees and changes training records and the catalog: every role × scope, by hand.

Scopes: "own" is the user's own record; "sa" is the record of the SA at school A (the
principal's school); "other" is an SA at school B.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from safeops.access import Action, can
from safeops.staff.choices import Role
from safeops.training.models import Completion, Topic
from tests.safeops.factories import ScenarioDistrict
from tests.safeops.training.helpers import done, seed

pytestmark = pytest.mark.shared_scenario

Y, N = True, False
# role: (own, SA of school A, SA of school B) for VIEW, then for CHANGE.
EXPECTED: dict[Role, tuple[tuple[bool, bool, bool], tuple[bool, bool, bool]]] = {
    Role.SECURITY_CHIEF: ((Y, Y, Y), (Y, Y, Y)),
    Role.TRAINING_COORDINATOR: ((Y, Y, Y), (Y, Y, Y)),
    Role.DISPATCHER: ((Y, N, N), (Y, N, N)),
    Role.SSO: ((Y, N, N), (Y, N, N)),
    Role.SAFETY_ADMINISTRATOR: ((Y, Y, N), (Y, Y, N)),  # "own" and "sa" are the same person
    Role.PRINCIPAL: ((Y, Y, N), (N, N, N)),
    Role.MENTAL_HEALTH_PRACTITIONER: ((Y, N, N), (Y, N, N)),
    Role.COUNSELOR: ((Y, N, N), (Y, N, N)),
    Role.SECURITY_MONITOR: ((Y, N, N), (Y, N, N)),
    Role.COURT_LIAISON: ((Y, N, N), (Y, N, N)),
    Role.VIOLENCE_PREVENTION_SPECIALIST: ((Y, N, N), (Y, N, N)),
    Role.COMMUNITY_MONITOR: ((N, N, N), (N, N, N)),
}
CATALOG_CHANGE = {Role.SECURITY_CHIEF, Role.TRAINING_COORDINATOR}


@pytest.mark.parametrize("role", list(Role))
def test_training_record_access(scenario: ScenarioDistrict, role: Role) -> None:
    seed(scenario.district)
    day = dt.date(2026, 9, 1)
    own = done(scenario.people[role], "de-escalation", 2, day)
    sa_a = (
        own
        if role == Role.SAFETY_ADMINISTRATOR
        else done(scenario.people[Role.SAFETY_ADMINISTRATOR], "de-escalation", 2, day)
    )
    sa_b = done(scenario.person_b, "de-escalation", 2, day)
    user = scenario.users[role]
    view, change = EXPECTED[role]
    records = (own, sa_a, sa_b)
    assert tuple(can(user, Action.VIEW, r) for r in records) == view  # type: ignore[arg-type]
    assert tuple(can(user, Action.CHANGE, r) for r in records) == change  # type: ignore[arg-type]
    topic = Topic.objects.first()
    assert topic is not None
    assert can(user, Action.VIEW, topic) is (role != Role.COMMUNITY_MONITOR)  # type: ignore[arg-type]
    assert can(user, Action.CHANGE, topic) is (role in CATALOG_CHANGE)  # type: ignore[arg-type]


@pytest.mark.parametrize("role", list(Role))
def test_person_pages_follow_the_same_table(scenario: ScenarioDistrict, role: Role) -> None:
    seed(scenario.district)
    client = Client()
    client.force_login(scenario.users[role])  # type: ignore[arg-type]
    view = EXPECTED[role][0]
    targets = (scenario.people[role], scenario.people[Role.SAFETY_ADMINISTRATOR], scenario.person_b)
    seen = tuple(client.get(f"/training/people/{p.pk}/").status_code == 200 for p in targets)
    assert seen == view
    assert Completion.objects.count() == 0
