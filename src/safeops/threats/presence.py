"""The protective action "increase presence", counted for the SSO patrols.

A case team records it like any other record (`services.case_record_add`, kind
`increase_presence`, audited); while the case is open it asks the patrols to be seen more at the
case's school. Patrol reads only how many open cases ask this of each school: no case, no
student, no sealed field leaves this module.
"""

from __future__ import annotations

from django.db.models import Count

from safeops.threats.choices import RecordKind
from safeops.threats.models import ThreatCase


def presence_counts(*, district_id: int) -> dict[int, int]:
    """{school id: open cases of the district with an "increase presence" action}."""
    rows = (
        ThreatCase.objects.filter(
            district_id=district_id,
            closed_at__isnull=True,
            school__isnull=False,
            records__kind=RecordKind.INCREASE_PRESENCE,
        )
        .values("school_id")
        .annotate(n=Count("id", distinct=True))
    )
    return {row["school_id"]: row["n"] for row in rows}
