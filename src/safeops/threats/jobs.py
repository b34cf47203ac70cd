"""Timers of threat assessment: a monitoring follow-up falls due (e-mail the case team, in the
languages its members read their alerts in); the daily retention purge (its time is in
safeops.core.jobs.SCHEDULES)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from safeops.core.jobs import Progress, job_handler
from safeops.core.models import Job
from safeops.core.notify.selectors import addresses_by_alert_language
from safeops.threats.models import FollowUp
from safeops.threats.retention import purge_expired

PURGE_JOB = "threats.purge_expired"

FOLLOW_UP_SUBJECT = _("Threat assessment follow-up due: case {case_id}")
FOLLOW_UP_BODY = _(
    "A monitoring follow-up of threat assessment case {case_id} is due on {due_on}. "
    "Open safeops to record it. (Case details are not sent by e-mail.)"
)


@job_handler("threats.follow_up_due")
def follow_up_due(job: Job, progress: Progress) -> dict[str, Any] | None:
    follow_up = (
        FollowUp.objects.filter(pk=job.payload.get("follow_up_id"), done_on__isnull=True)
        .select_related("case")
        .first()
    )
    if follow_up is None:
        return {"sent": 0}
    case = follow_up.case
    team = [(m.person.user_id, m.person.email) for m in case.team.select_related("person")]
    sent = 0
    # One e-mail per language the team reads its alerts in (My alerts).
    for language, addresses in addresses_by_alert_language(team).items():
        with translation.override(language):
            send_mail(
                str(FOLLOW_UP_SUBJECT).format(case_id=case.pk),
                str(FOLLOW_UP_BODY).format(case_id=case.pk, due_on=follow_up.due_on),
                settings.DEFAULT_FROM_EMAIL,
                addresses,
            )
        sent += len(addresses)
    return {"sent": sent}


@job_handler(PURGE_JOB)
def purge_expired_job(job: Job, progress: Progress) -> dict[str, Any]:
    """Delete closed cases and tips past THREAT_RETENTION_DAYS (audited, as the command)."""
    report = purge_expired(dry_run=False)
    return {"cases": report.cases, "tips": report.tips}
