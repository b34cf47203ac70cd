"""Reads after the call. Every read of a report takes the acting user and is audited; lists
record an export entry with their row count."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils.translation import gettext

from safeops.access import Action, AnyUser, Resource, can_any, restrict, viewer_for
from safeops.core.audit import audit_export, audit_read
from safeops.dispatch.models import SupportRequest
from safeops.resources.categories import Category as ServiceCategory
from safeops.resources.models import Service
from safeops.resources.selectors import service_category_codes
from safeops.ssoreports import exceptions as errors
from safeops.ssoreports.choices import HandoffKind
from safeops.ssoreports.models import Handoff, SsoReport
from safeops.ssoreports.offers import no_report_reason, offered_handoffs
from safeops.staff.choices import Role

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def require_report_access(user: AnyUser) -> None:
    if not can_any(user, Action.VIEW, Resource.SSO_REPORT):
        raise PermissionDenied(errors.NO_REPORT_ACCESS)


def sso_report_list_for_user(*, user: AnyUser) -> list[SsoReport]:
    """The reports the user may read (newest first); recorded as an export of the list."""
    require_report_access(user)
    reports = list(
        restrict(SsoReport.objects.all(), user)
        .select_related("request", "school", "author")
        .order_by("-created_at", "-id")[:200]
    )
    audit_export(actor=user, model=SsoReport, count=len(reports), note="SSO report list")
    return reports


def sso_report_get_for_user(*, user: AnyUser, report_id: int) -> SsoReport:
    require_report_access(user)
    report = (
        restrict(SsoReport.objects.filter(pk=report_id), user)
        .select_related("request", "school", "author")
        .first()
    )
    if report is None:
        raise Http404(gettext("No such report in your scope."))
    audit_read(actor=user, instance=report, note="SSO report")
    return report


@dataclass(frozen=True)
class AfterCall:
    """A request after the call: its report (if any), the offered hand-offs and those made."""

    request: SupportRequest
    report: SsoReport | None
    offers: list[HandoffKind]
    made: dict[str, Handoff]
    may_write: bool
    no_report: StrOrPromise | None  # why no report may be written (the officer sees it)
    gun_violence_service_id: int | None


def gun_violence_service_id() -> int | None:
    """The directory's active service for gun-involved youth (the first by name), if any."""
    services = Service.objects.exclude(status__in=["inactive", "defunct"]).order_by("name")
    ids = list(services.values_list("pk", flat=True))
    codes = service_category_codes(service_ids=ids)
    return next(
        (pk for pk in ids if ServiceCategory.GUN_VIOLENCE_MHP in codes.get(pk, set())), None
    )


def after_call_for_user(*, user: AnyUser, request_id: int) -> AfterCall:
    """The after-the-call page of a request: for the officer who holds it, the supervisors and
    the chief. Reading the report there is an audited read."""
    require_report_access(user)
    request = (
        restrict(SupportRequest.objects.filter(pk=request_id), user)
        .select_related("school", "officer")
        .first()
    )
    viewer = viewer_for(user)
    if request is None or (viewer.role == Role.SSO and request.officer_id != viewer.person_id):
        raise Http404(gettext("No such request in your scope."))
    report = restrict(SsoReport.objects.filter(request=request), user).first()
    if report is not None:
        audit_read(actor=user, instance=report, note="SSO report (after the call)")
    may_write = viewer.person_id is not None and request.officer_id == viewer.person_id
    offers = offered_handoffs(request, report)
    made = {h.kind: h for h in restrict(Handoff.objects.filter(request=request), user)}
    return AfterCall(
        request=request,
        report=report,
        offers=offers,
        made=made,
        may_write=may_write,
        no_report=no_report_reason(request),
        gun_violence_service_id=gun_violence_service_id()
        if HandoffKind.GUN_VIOLENCE_REFERRAL in offers
        else None,
    )


def handoff_list_for_user(*, user: AnyUser) -> QuerySet[Handoff]:
    """Hand-offs the user may read: an officer's own, the notices addressed to a court liaison
    or the MHPs, all for the supervisors and the chief. Recorded as an export."""
    if not can_any(user, Action.VIEW, Resource.SSO_HANDOFF):
        raise PermissionDenied(errors.NO_REPORT_ACCESS)
    handoffs = restrict(Handoff.objects.all(), user).select_related("request", "school", "officer")
    audit_export(actor=user, model=Handoff, count=handoffs.count(), note="hand-off list")
    return handoffs


def handoff_counts_for_user(*, user: AnyUser, since: dt.date) -> dict[str, int]:
    """Hand-offs per kind since a date (for the board report); every kind present, 0 if none."""
    if not can_any(user, Action.VIEW, Resource.SSO_HANDOFF):
        raise PermissionDenied(errors.NO_REPORT_ACCESS)
    rows = (
        restrict(Handoff.objects.filter(at__date__gte=since), user)
        .values("kind")
        .annotate(n=Count("id"))
    )
    counts = {kind.value: 0 for kind in HandoffKind}
    counts.update({row["kind"]: row["n"] for row in rows})
    return counts
