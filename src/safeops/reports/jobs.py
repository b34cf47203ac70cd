"""The daily refresh of the published report cells (its time is in
safeops.core.jobs.SCHEDULES); a staff member can queue one too (`safeops reports-refresh`)."""

from __future__ import annotations

from typing import Any

from safeops.core.jobs import Progress, job_handler
from safeops.core.models import Job
from safeops.reports.precompute import refresh
from safeops.schools.models import District

REFRESH_JOB = "reports.refresh"


@job_handler(REFRESH_JOB)
def refresh_job(job: Job, progress: Progress) -> dict[str, Any]:
    """Every district's cells, or the one named in the payload."""
    districts = District.objects.order_by("pk")
    if "district_id" in job.payload:
        districts = districts.filter(pk=job.payload["district_id"])
    cells = {}
    for district in districts:
        progress(0.0, f"district {district.pk}")
        cells[str(district.pk)] = refresh(district_id=district.pk)
    return {"cells": cells}
