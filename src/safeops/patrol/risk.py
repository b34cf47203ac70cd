"""Risk weights per school: recent support requests, incidents, open protective threat cases
and open cases whose protective action asks for more presence ("increase presence").

Counts only, by school: nothing here reads a student's identity (a threat case counts by its
school and stage; its sealed fields are never loaded).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Count

from safeops.dispatch.models import SupportRequest
from safeops.incidents.models import Incident
from safeops.threats.choices import Stage
from safeops.threats.models import ThreatCase
from safeops.threats.presence import presence_counts

REQUEST_WEIGHT = 0.25
INCIDENT_WEIGHT = 0.5
PROTECTIVE_WEIGHT = 2.0
PRESENCE_WEIGHT = 2.0
MAX_RISK = 10.0
# Threat-case stages whose plan asks for protective actions such as more presence.
PROTECTIVE_STAGES = (Stage.SERIOUS, Stage.VERY_SERIOUS, Stage.PLAN)


def _counts(rows: object) -> Counter[int]:
    return Counter({row["school_id"]: row["n"] for row in rows})  # type: ignore[attr-defined]


def school_risks(*, district_id: int, today: dt.date, days: int) -> dict[int, float]:
    """Risk weight (1 = ordinary, up to MAX_RISK) for every school with recent activity."""
    since = dt.datetime.combine(today - dt.timedelta(days=days), dt.time.min, dt.UTC)
    requests = _counts(
        SupportRequest.objects.filter(
            district_id=district_id, school__isnull=False, created_at__gte=since
        )
        .values("school_id")
        .annotate(n=Count("id"))
    )
    incidents = _counts(
        Incident.objects.filter(school__district_id=district_id, occurred_at__gte=since)
        .values("school_id")
        .annotate(n=Count("id"))
    )
    protective = _counts(
        ThreatCase.objects.filter(
            district_id=district_id, closed_at__isnull=True, stage__in=PROTECTIVE_STAGES
        )
        .values("school_id")
        .annotate(n=Count("id"))
    )
    presence = Counter(presence_counts(district_id=district_id))
    risks: dict[int, float] = {}
    for school_id in set(requests) | set(incidents) | set(protective) | set(presence):
        weight = (
            1.0
            + REQUEST_WEIGHT * requests[school_id]
            + INCIDENT_WEIGHT * incidents[school_id]
            + PROTECTIVE_WEIGHT * protective[school_id]
            + PRESENCE_WEIGHT * presence[school_id]
        )
        risks[school_id] = min(weight, MAX_RISK)
    return risks
