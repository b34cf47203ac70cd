"""Who reaches the roster and fleet pages, role by role (a hand-written table, not computed
from the rules), and whose records they see: the supervisors (chief, dispatcher) everything of
the district, an SSO their own, every other role nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from safeops.fleet.models import EquipmentKind
from safeops.fleet.services import equipment_create
from safeops.staff.choices import Role
from tests.safeops.factories import PersonFactory, ScenarioDistrict
from tests.safeops.fleet.helpers import ACTOR, assigned_vehicle
from tests.safeops.roster.helpers import shift

pytestmark = [pytest.mark.django_db, pytest.mark.shared_scenario]

MANAGE, OWN, NONE = "manage", "own", "none"
# Every role but these three: nothing.
EXPECTED = {role: NONE for role in Role} | {
    Role.SECURITY_CHIEF: MANAGE,
    Role.DISPATCHER: MANAGE,
    Role.SSO: OWN,
}


@pytest.mark.parametrize("role", list(Role))
def test_roster_and_fleet_reach_matches_the_table(scenario: ScenarioDistrict, role: Role) -> None:
    officer = scenario.people[Role.SSO]
    other = PersonFactory(district=scenario.district, role=Role.SSO, user=None, full_name="Other")
    day = timezone.localdate() + dt.timedelta(days=1)
    mine, theirs = shift(officer, day, 7, 15), shift(other, day, 7, 15)
    assigned_vehicle(scenario.district, officer)
    other_car = assigned_vehicle(scenario.district, other, unit="SSO-02")
    equipment_create(
        district=scenario.district,
        kind=EquipmentKind.RADIO,
        serial="R-OTHER",
        holder=other,
        issued_on=day,
        actor=ACTOR,
    )
    client = Client()
    client.force_login(scenario.users[role])  # type: ignore[arg-type]
    expected = EXPECTED[role]
    roster = client.get("/roster/")
    fleet = client.get("/fleet/")
    equipment = client.get("/fleet/equipment/")
    if expected == NONE:
        assert (roster.status_code, fleet.status_code, equipment.status_code) == (403, 403, 403)
        assert client.get(f"/roster/shifts/{mine.pk}/").status_code == 404
        return
    if expected == OWN:
        assert roster["Location"] == "/roster/mine/" and fleet["Location"] == "/fleet/inspect/"
        assert client.get(f"/roster/shifts/{mine.pk}/").status_code == 200
        assert client.get(f"/roster/shifts/{theirs.pk}/").status_code == 404
        assert "R-OTHER" not in equipment.content.decode()
        assert client.get(f"/fleet/vehicles/{other_car.pk}/inspect/").status_code == 403
        return
    assert roster.status_code == fleet.status_code == equipment.status_code == 200
    assert client.get(f"/roster/shifts/{theirs.pk}/").status_code == 200
    assert "SSO-02" in fleet.content.decode() and "R-OTHER" in equipment.content.decode()
    assert client.get(f"/fleet/vehicles/{other_car.pk}/inspect/").status_code == 200
