"""The background run of a planning scenario."""

from __future__ import annotations

import re
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from planning.domain import PlanningError
from safeops.core.jobs import JobError, Progress, job_handler
from safeops.core.models import Job
from safeops.scenarios.adapter import planning_schools, run_plan
from safeops.scenarios.models import Scenario, ScenarioStatus
from safeops.scenarios.services import RUN_JOB


def _form_words(message: str) -> str:
    """The planner speaks in command-line flags; the scenario page names its form fields."""
    fields = {
        "--officers": _("“Officers”"),
        "--min-size/--max-size": _("“Fewest schools per zone” or “Most schools per zone”"),
        "--min-size": _("“Fewest schools per zone”"),
        "--max-size": _("“Most schools per zone”"),
        "--unaligned": _("“Zones follow high-school areas” unticked"),
        "--target-minutes": _("“Target minutes”"),
        "--no-merge": _("merging small areas"),
    }
    pattern = "|".join(re.escape(flag) for flag in sorted(fields, key=len, reverse=True))
    return re.sub(pattern, lambda match: fields[match.group(0)], message)


@job_handler(RUN_JOB)
def scenario_run(job: Job, progress: Progress) -> dict[str, Any]:
    scenario = Scenario.objects.select_related("district").get(pk=job.payload["scenario_id"])
    Scenario.objects.filter(pk=scenario.pk).update(status=ScenarioStatus.RUNNING)
    try:
        summary, staffing = run_plan(
            schools=planning_schools(district=scenario.district),
            officers=scenario.officers,
            target_minutes=scenario.target_minutes,
            percentile=scenario.percentile,
            min_size=scenario.min_size,
            max_size=scenario.max_size,
            dedicated_levels=list(scenario.dedicated_levels),
            aligned=scenario.aligned,
            equity=scenario.equity,
            with_equity_curve=scenario.equity_curve,
            seed=scenario.seed,
            progress=progress,
        )
    except PlanningError as error:
        Scenario.objects.filter(pk=scenario.pk).update(
            status=ScenarioStatus.FAILED, error=_form_words(str(error)), finished_at=timezone.now()
        )
        raise JobError(str(error)) from error
    except Exception as error:
        Scenario.objects.filter(pk=scenario.pk).update(
            status=ScenarioStatus.FAILED,
            error=f"Internal error: {error}",
            finished_at=timezone.now(),
        )
        raise
    Scenario.objects.filter(pk=scenario.pk).update(
        status=ScenarioStatus.DONE,
        summary=summary,
        staffing=staffing,
        error="",
        finished_at=timezone.now(),
    )
    return {"officers": summary["officers"], "gap": summary["gap"]}
