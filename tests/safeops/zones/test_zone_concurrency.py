"""On PostgreSQL, two dispatchers placing one school in two zones at once: exactly one wins."""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from safeops.zones import services as zones_services
from safeops.zones.models import ZoneMembership
from safeops.zones.services import zone_create, zone_set_schools
from tests.safeops.factories import DistrictFactory, SchoolFactory

pytestmark = pytest.mark.postgres


@pytest.mark.django_db(transaction=True)
def test_concurrent_placements_of_one_school_leave_it_in_one_zone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass (make test-postgres)")
    real_create = zones_services.model_create

    def slow_create(**kwargs: Any) -> Any:
        time.sleep(0.2)  # widen the window between the conflict check and the insert
        return real_create(**kwargs)

    monkeypatch.setattr(zones_services, "model_create", slow_create)
    district = DistrictFactory()
    school = SchoolFactory(district=district, name="Contested Elementary")
    zones = [
        zone_create(district=district, name=f"Zone {i}", actor="system:test") for i in range(6)
    ]
    barrier = threading.Barrier(len(zones))
    outcomes: list[str] = []

    def place(zone_index: int) -> None:
        try:
            connections["default"].ensure_connection()  # connect first, so all start together
            barrier.wait()
            zone_set_schools(
                zone=zones[zone_index],
                schools=[school],
                starts_on=dt.date(2026, 9, 1),
                actor="system:test",
            )
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("conflict")
        except Exception as error:
            outcomes.append(type(error).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=place, args=(i,)) for i in range(len(zones))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict"] * (len(zones) - 1) + ["ok"]
    assert ZoneMembership.objects.filter(school=school).count() == 1
