"""The shared filter/sort/paginate helper, and the long lists that use it."""

from __future__ import annotations

import re

import pytest
from django.http import QueryDict
from django.test import Client

from safeops.core.listing import Filter, Sort, listing_from
from safeops.staff.choices import Role
from tests.safeops.factories import ScenarioDistrict

pytestmark = pytest.mark.shared_scenario

NUMBERS = list(range(1, 101))
PARITY = Filter(
    "parity", "Parity", [("even", "Even"), ("odd", "Odd")], lambda n, v: n % 2 == (v == "odd")
)
SORTS = [Sort("up", "Up", lambda n: n), Sort("down", "Down", lambda n: n, reverse=True)]


def _listing(query: str):  # type: ignore[no-untyped-def]
    return listing_from(
        QueryDict(query), NUMBERS, filters=[PARITY], sorts=SORTS, per_page=10, keep=("q",)
    )


def test_filters_sort_and_paginate() -> None:
    listing = _listing("parity=odd&sort=down&page=2&q=x")
    assert listing.items == [79, 77, 75, 73, 71, 69, 67, 65, 63, 61]
    assert listing.total == 100 and len(listing.matched) == 50
    assert listing.query == "q=x&parity=odd&sort=down"  # what the pager's links keep
    assert listing.filters[0].value == "odd"


def test_unknown_values_are_ignored() -> None:
    listing = _listing("parity=prime&sort=sideways&page=lots")
    assert listing.items == list(range(1, 11))  # the default sort, the first page
    assert listing.query == ""
    assert _listing("page=99").items == list(range(91, 101))  # past the end: the last page


@pytest.mark.django_db
def test_the_assignment_list_filters_by_role_and_sorts(scenario: ScenarioDistrict) -> None:
    client = Client()
    client.force_login(scenario.users[Role.SECURITY_CHIEF])  # type: ignore[arg-type]
    page = client.get(f"/staff/?role={Role.SSO.value}").content.decode()
    roles = re.findall(r"<tr>\s*<td>[^<]*</td>\s*<td>([^<]*)</td>", page)
    assert roles and set(roles) == {str(Role.SSO.label)}
    assert f'<option value="{Role.SSO.value}" selected>' in page
    everyone = client.get("/staff/?sort=name").content.decode()
    names = re.findall(r"<tr>\s*<td>([^<]*)</td>", everyone)
    assert names == sorted(names) and len(names) > len(roles)
    assert "shown by the filters" in everyone


@pytest.mark.django_db
def test_the_onboarding_team_filters_by_role(scenario: ScenarioDistrict) -> None:
    client = Client()
    client.force_login(scenario.users[Role.SECURITY_CHIEF])  # type: ignore[arg-type]
    page = client.get(f"/referrals/onboarding/team/?role={Role.SSO.value}").content.decode()
    rows = re.findall(r'<tr data-person="\d+"><td>[^<]*</td><td>([^<]*)</td>', page)
    assert rows and set(rows) == {str(Role.SSO.label)}
