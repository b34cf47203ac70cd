"""Who sees which support request: every role × own school / other school / own zone /
assigned, on the web views, the API and the admin. The table is written by hand.

- the security chief and dispatchers (the supervisors) see every request;
- SAs, principals and security monitors see their own school's requests (they file them);
- SSOs see their zone's open requests and the requests assigned to them;
- every other role sees none.
Demographic fields of enforcement clearings: only roles the district grants (default: chief).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from safeops.core.models import AuditEntry
from safeops.dispatch.models import DispatchSettings, SupportRequest
from safeops.dispatch.services import DemographicsInput, request_assign, request_transition
from safeops.staff.choices import Role
from tests.safeops.dispatch.conftest import DispatchScenario

pytestmark = [pytest.mark.django_db, pytest.mark.shared_scenario]

SCOPES = ("own_school", "other_school", "own_zone", "assigned")
EVERYTHING = frozenset(SCOPES)
EXPECTED: dict[Role, frozenset[str]] = {
    Role.SECURITY_CHIEF: EVERYTHING,
    Role.DISPATCHER: EVERYTHING,
    Role.SSO: frozenset({"own_school", "own_zone", "assigned"}),
    Role.SAFETY_ADMINISTRATOR: frozenset({"own_school"}),
    Role.PRINCIPAL: frozenset({"own_school"}),
    Role.MENTAL_HEALTH_PRACTITIONER: frozenset(),
    Role.COUNSELOR: frozenset(),
    Role.SECURITY_MONITOR: frozenset({"own_school"}),
    Role.COURT_LIAISON: frozenset(),
    Role.VIOLENCE_PREVENTION_SPECIALIST: frozenset(),
    Role.TRAINING_COORDINATOR: frozenset(),
    Role.COMMUNITY_MONITOR: frozenset(),
}


def _targets(d: DispatchScenario) -> dict[str, int]:
    s = d.s
    own_school = d.file(actor=d.dispatcher, school=s.school_a)
    other_school = d.file(actor=d.dispatcher, school=s.school_b)
    own_zone = d.file(actor=d.dispatcher, school=s.high_a)
    assigned = d.file(actor=d.dispatcher, school=s.school_b, summary="Fight at B")
    request_assign(request_id=assigned.pk, officer_id=d.officer_a.pk, actor=d.dispatcher)
    return {
        "own_school": own_school.pk,
        "other_school": other_school.pk,
        "own_zone": own_zone.pk,
        "assigned": assigned.pk,
    }


SURFACES: dict[str, Callable[[Client, int], bool]] = {
    "web": lambda c, pk: c.get(f"/dispatch/requests/{pk}/").status_code == 200,
    "api": lambda c, pk: c.get(f"/api/requests/{pk}").status_code == 200,
    "admin": lambda c, pk: c.get(f"/admin/dispatch/supportrequest/{pk}/change/").status_code == 200,
}


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_request_visibility_matches_the_table(dispatch: DispatchScenario, role: Role) -> None:
    targets = _targets(dispatch)
    client = Client()
    client.force_login(dispatch.s.users[role])  # type: ignore[arg-type]
    mismatches = []
    for surface, sees in SURFACES.items():
        for scope, pk in targets.items():
            seen = sees(client, pk)
            if seen != (scope in EXPECTED[role]):
                mismatches.append(f"{surface} {scope}: saw={seen}")
    assert mismatches == [], role.value


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_the_request_list_in_history_matches_the_table(
    dispatch: DispatchScenario, role: Role
) -> None:
    targets = _targets(dispatch)
    client = Client()
    client.force_login(dispatch.s.users[role])  # type: ignore[arg-type]
    response = client.get("/dispatch/history.csv")
    if not EXPECTED[role]:
        assert response.status_code == 403
        return
    ids = {int(line.split(",")[0]) for line in response.content.decode().splitlines()[1:]}
    assert ids == {targets[s] for s in EXPECTED[role]}


def test_anonymous_users_get_nothing(dispatch: DispatchScenario) -> None:
    pk = dispatch.file().pk
    client = Client()
    assert client.get(f"/api/requests/{pk}").status_code == 401
    assert client.get(f"/dispatch/requests/{pk}/").status_code == 302
    assert client.get("/dispatch/board/state.json").status_code == 302


def _cleared(
    dispatch: DispatchScenario, disposition: str, demographics: DemographicsInput
) -> tuple[SupportRequest, str]:
    """A request cleared with an enforcement disposition, and its demographics' API address."""
    request = dispatch.file()
    request_assign(
        request_id=request.pk, officer_id=dispatch.officer_a.pk, actor=dispatch.dispatcher
    )
    request_transition(
        request_id=request.pk, to_status="on_scene", actor=dispatch.dispatcher, idempotency_key="a"
    )
    cleared = request_transition(
        request_id=request.pk,
        to_status="cleared",
        disposition=disposition,
        demographics=demographics,
        actor=dispatch.dispatcher,
        idempotency_key="b",
    )
    return request, f"/api/requests/{request.pk}/clearings/{cleared.event.pk}/demographics"


@pytest.mark.parametrize(
    ("role", "visible"),
    [(Role.SECURITY_CHIEF, True), (Role.DISPATCHER, False), (Role.SSO, False)],
    ids=lambda v: getattr(v, "value", str(v)),
)
def test_demographics_are_visible_only_to_granted_roles_and_reads_are_audited(
    dispatch: DispatchScenario, role: Role, visible: bool
) -> None:
    request, url = _cleared(
        dispatch,
        "citation",
        DemographicsInput("Weapon on campus", "asian", "female", "idea", "yes"),
    )
    client = Client()
    client.force_login(dispatch.s.users[role])  # type: ignore[arg-type]
    response = client.get(url)
    assert (response.status_code == 200) == visible
    reads = AuditEntry.objects.filter(action="view", model="dispatch.clearingdemographics")
    assert reads.count() == (1 if visible else 0)
    if visible:
        assert response.json()["race_ethnicity"] == "asian"
    body: Any = client.get(f"/api/requests/{request.pk}").json()
    assert "race_ethnicity" not in str(body)


def test_a_district_can_grant_demographics_to_dispatchers(dispatch: DispatchScenario) -> None:
    DispatchSettings.objects.create(
        district=dispatch.s.district, demographics_roles=["security_chief", "dispatcher"]
    )
    _, url = _cleared(
        dispatch, "arrest", DemographicsInput("Assault", "white", "male", "none", "no")
    )
    client = Client()
    client.force_login(dispatch.dispatcher)
    assert client.get(url).status_code == 200
