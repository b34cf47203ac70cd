"""core asks who oversees the system (audit log, jobs) without knowing roles: the access rule
answers, registered from HomeConfig.ready(); with nothing registered, nobody oversees."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from safeops.access import oversees
from safeops.core import overseers
from safeops.staff.choices import Role
from tests.safeops.factories import ScenarioDistrict

pytestmark = pytest.mark.shared_scenario


@pytest.fixture
def registered() -> Iterator[None]:
    saved = overseers._check
    yield
    overseers.register_overseer_check(saved)  # type: ignore[arg-type]


def test_the_access_rule_is_the_registered_check() -> None:
    assert overseers._check is oversees


@pytest.mark.django_db
def test_only_the_security_chief_oversees(scenario: ScenarioDistrict) -> None:
    overseeing = {role for role, user in scenario.users.items() if overseers.is_overseer(user)}
    assert overseeing == {Role.SECURITY_CHIEF}


@pytest.mark.django_db
def test_with_no_check_registered_nobody_oversees(
    scenario: ScenarioDistrict, registered: None
) -> None:
    overseers._check = None
    assert not overseers.is_overseer(scenario.users[Role.SECURITY_CHIEF])
