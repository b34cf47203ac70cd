"""Reads of safety plans. Plans and floor plans are not public: every read goes through here,
narrowed by safeops.access, and reads of a plan or a file are recorded in the audit log."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from safeops.access import Action, AnyUser, can, restrict
from safeops.core.audit import audit_read
from safeops.safetyplans.models import (
    SECTIONS,
    PlanAttachment,
    PlanVersion,
    SafetyPlan,
)

REVIEW_DAYS_AFTER_YEAR = 45


def plan_list_for_user(*, user: AnyUser) -> QuerySet[SafetyPlan]:
    return (
        restrict(SafetyPlan.objects.all(), user)
        .select_related("school", "school_year")
        .order_by("-school_year__first_day", "school__name")
    )


def plan_get_for_user(*, user: AnyUser, plan_id: int, action: Action = Action.VIEW) -> SafetyPlan:
    plan = (
        restrict(SafetyPlan.objects.filter(pk=plan_id), user, action)
        .select_related("school", "school_year", "approved_version", "approved_by")
        .first()
    )
    if plan is None:
        raise Http404(_("No such plan in your scope."))
    return plan


@dataclass(frozen=True)
class PlanStep:
    key: str
    label: str
    source: str
    due_on: dt.date
    done: str  # what was recorded, or ""
    state: str  # done, due, overdue, upcoming

    @property
    def needs_action(self) -> bool:
        return self.state in ("due", "overdue")


def plan_steps(plan: SafetyPlan, *, on: dt.date) -> list[PlanStep]:
    """The dated steps of KRS 158.162 and whether each is done."""
    year = plan.school_year
    before_first = year.first_day - dt.timedelta(days=1)
    review_due = year.last_day + dt.timedelta(days=REVIEW_DAYS_AFTER_YEAR)

    def state(done: bool, due_on: dt.date, opens: dt.date | None = None) -> str:
        if done:
            return "done"
        if opens is not None and on <= opens:
            return "upcoming"
        return "overdue" if on > due_on else "due"

    approved = plan.approved_version_id is not None
    briefing = (
        _("%(when)s, %(count)s attended")
        % {
            "when": f"{timezone.localtime(plan.briefing_at):%Y-%m-%d %H:%M}",
            "count": plan.briefing_attendance,
        }
        if plan.briefing_at
        else ""
    )
    return [
        PlanStep(
            "approval",
            _("Plan approved by the principal"),
            "KRS 158.162(2)",
            before_first,
            f"{timezone.localtime(plan.approved_at):%Y-%m-%d}" if plan.approved_at else "",
            state(approved, before_first),
        ),
        PlanStep(
            "briefing",
            _("Staff briefing before the first instructional day (date, time, attendance)"),
            "KRS 158.162(2)",
            before_first,
            briefing,
            state(plan.briefing_at is not None, before_first),
        ),
        PlanStep(
            "shared",
            _("Approved plan shared with first responders"),
            "KRS 158.162(2)",
            year.first_day,
            f"{plan.shared_with_responders_on:%Y-%m-%d} ({plan.shared_with})"
            if plan.shared_with_responders_on
            else "",
            state(plan.shared_with_responders_on is not None, year.first_day),
        ),
        PlanStep(
            "review",
            _("After-year review with first responders"),
            "KRS 158.162(2)",
            review_due,
            f"{plan.review_on:%Y-%m-%d}" if plan.review_on else "",
            state(plan.review_on is not None, review_due, opens=year.last_day),
        ),
    ]


@dataclass(frozen=True)
class PlanDetail:
    plan: SafetyPlan
    latest: PlanVersion | None
    versions: list[PlanVersion]
    sections: list[tuple[str, str, str]]  # key, label, text of the latest version
    steps: list[PlanStep]
    attachments: list[PlanAttachment]
    may_change: bool


def plan_detail_for_user(*, user: AnyUser, plan_id: int) -> PlanDetail:
    plan = plan_get_for_user(user=user, plan_id=plan_id)
    audit_read(actor=user, instance=plan, note="safety plan")
    versions = list(plan.versions.select_related("created_by").order_by("-number"))
    latest = versions[0] if versions else None
    texts = latest.sections if latest else {}
    return PlanDetail(
        plan=plan,
        latest=latest,
        versions=versions,
        sections=[(key, str(label), str(texts.get(key, ""))) for key, label in SECTIONS],
        steps=plan_steps(plan, on=timezone.localdate()),
        attachments=list(plan.attachments.order_by("kind", "title")),
        may_change=can(user, Action.CHANGE, plan),
    )


@dataclass(frozen=True)
class SectionDiff:
    label: str
    lines: list[tuple[str, str]]  # ("+"/"-"/" ", text)
    changed: bool


def plan_compare_for_user(
    *, user: AnyUser, plan_id: int, old_number: int, new_number: int
) -> tuple[SafetyPlan, PlanVersion, PlanVersion, list[SectionDiff]]:
    plan = plan_get_for_user(user=user, plan_id=plan_id)
    old = plan.versions.filter(number=old_number).first()
    new = plan.versions.filter(number=new_number).first()
    if old is None or new is None:
        raise Http404(_("No such version."))
    audit_read(actor=user, instance=plan, note=f"compare v{old_number}–v{new_number}")
    diffs = []
    for key, label in SECTIONS:
        before = str(old.sections.get(key, "")).splitlines()
        after = str(new.sections.get(key, "")).splitlines()
        lines = [
            (line[0], line[2:]) for line in difflib.ndiff(before, after) if not line.startswith("?")
        ]
        diffs.append(SectionDiff(str(label), lines, before != after))
    return plan, old, new, diffs


def attachment_get_for_user(*, user: AnyUser, attachment_id: int) -> PlanAttachment:
    attachment = PlanAttachment.objects.select_related("plan").filter(pk=attachment_id).first()
    if attachment is None or not can(user, Action.VIEW, attachment.plan):
        raise Http404(_("No such file in your scope."))
    audit_read(actor=user, instance=attachment, note="floor plan download")
    return attachment


def plans_due_for_user(
    *, user: AnyUser, on: dt.date, within_days: int
) -> list[tuple[SafetyPlan, PlanStep]]:
    """Steps overdue or due within `within_days` on the user's plans of years under way."""
    horizon = on + dt.timedelta(days=within_days)
    items: list[tuple[SafetyPlan, PlanStep]] = []
    plans = plan_list_for_user(user=user).filter(
        school_year__first_day__lte=horizon,
        school_year__last_day__gte=on - dt.timedelta(days=REVIEW_DAYS_AFTER_YEAR),
    )
    for plan in plans:
        for step in plan_steps(plan, on=on):
            if step.state == "overdue" or (step.state == "due" and step.due_on <= horizon):
                items.append((plan, step))
    return items
