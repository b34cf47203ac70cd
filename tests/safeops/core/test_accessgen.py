"""The access generation: tokens and scopes kept per process are void after any access change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safeops.access import viewer_for
from safeops.accounts.models import ApiToken, User
from safeops.accounts.tokens import token_authenticate, token_create
from safeops.core.accessgen import access_generation
from safeops.core.caches import clear_process_caches
from safeops.core.models import AccessGeneration
from safeops.core.services import model_update
from safeops.staff.choices import Role
from safeops.staff.models import Person
from tests.safeops.factories import ScenarioDistrict

pytestmark = [pytest.mark.django_db, pytest.mark.shared_scenario]


def test_a_change_to_what_grants_access_replaces_the_generation(
    scenario: ScenarioDistrict,
) -> None:
    user = scenario.users[Role.DISPATCHER]
    token, _raw = token_create(user=user, name="t", actor="system:test")
    first = access_generation()
    assert first is not None
    token.last_used_at = token.created_at
    token.save(update_fields=["last_used_at"])  # a last use grants nothing
    assert access_generation() == first
    model_update(instance=token, actor="system:test", data={"revoked": True})
    assert access_generation() not in (None, first)


def test_a_kept_token_is_refused_once_the_generation_changed(scenario: ScenarioDistrict) -> None:
    sa = scenario.users[Role.SAFETY_ADMINISTRATOR]
    token, raw = token_create(user=sa, name="t", actor="system:test")
    held = token_authenticate(raw)
    assert held is not None
    assert scenario.school_a.pk in viewer_for(held).school_ids
    # Another process's change, as this process sees its commit: the token's row and the
    # generation change behind this process's back (no signal here).
    type(token).objects.filter(pk=token.pk).update(revoked=True)
    assert token_authenticate(raw) is not None  # kept: nothing said that access changed
    AccessGeneration.objects.update(value="elsewhere")
    assert token_authenticate(raw) is None


def test_a_kept_scope_is_reloaded_under_a_new_generation(scenario: ScenarioDistrict) -> None:
    sa = scenario.users[Role.SAFETY_ADMINISTRATOR]
    _token, raw = token_create(user=sa, name="t", actor="system:test")
    held = token_authenticate(raw)
    assert held is not None and scenario.school_a.pk in viewer_for(held).school_ids
    Person.objects.filter(user=sa).update(active=False)  # as another process's commit
    kept = token_authenticate(raw)
    assert kept is not None and scenario.school_a.pk in viewer_for(kept).school_ids
    AccessGeneration.objects.update(value="elsewhere")
    again = token_authenticate(raw)
    assert again is not None and scenario.school_a.pk not in viewer_for(again).school_ids


@override_settings(ACCESS_CACHE=False)
def test_without_the_cache_every_call_reads_the_database(scenario: ScenarioDistrict) -> None:
    user = scenario.users[Role.DISPATCHER]
    token, raw = token_create(user=user, name="t", actor="system:test")
    assert token_authenticate(raw) is not None
    type(token).objects.filter(pk=token.pk).update(revoked=True)  # no signal, no new generation
    assert token_authenticate(raw) is None


def test_a_token_new_to_the_process_is_read_with_its_user_in_one_statement(
    scenario: ScenarioDistrict,
) -> None:
    """The raw statement gives the same token and user as the ORM (types included), and
    still refuses expired, revoked and deactivated ones."""
    user = scenario.users[Role.PRINCIPAL]
    token, raw = token_create(user=user, name="t", actor="system:test", valid_days=1)
    clear_process_caches()
    with CaptureQueriesContext(connection) as queries:
        held = token_authenticate(raw)
    assert len([q for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]) == 1
    assert held is not None
    stored = User.objects.get(pk=user.pk)
    for field in User._meta.concrete_fields:
        assert getattr(held, field.attname) == getattr(stored, field.attname), field.name
    assert held.is_active is True
    assert held.date_joined.tzinfo is not None
    # Expired: refused (the expiry read through the same converters is a datetime).
    clear_process_caches()
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(1))
    assert token_authenticate(raw) is None
    # Revoked, and a deactivated holder: no row at all.
    ApiToken.objects.filter(pk=token.pk).update(expires_at=None)
    clear_process_caches()  # an update sends no signal: the kept token holds the old expiry
    assert token_authenticate(raw) is not None
    model_update(instance=token, actor="system:test", data={"revoked": True})
    assert token_authenticate(raw) is None
    _t, other = token_create(user=user, name="t2", actor="system:test")
    stored.is_active = False
    stored.save()
    assert token_authenticate(other) is None
