"""Dispatch's calls into the notification service (safeops.core.notify).

- An offered request (assigned, reassigned, escalated) alerts its officer channel by channel
  (push → SMS → voice, `NOTIFY_STEPS_P1`…); the previous officer's alert closes.
- The officer's acknowledgement (or any move out of the awaiting states) closes the alert:
  the acknowledgement is the request's, on the officer page, not the opening of the push.
- An escalation pages the supervisors' call tree (dispatchers first, then the chief).
- Nothing reaches an off-duty officer: `officer_available` is registered in `apps.ready`.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from safeops.core.notify import services as notify
from safeops.core.notify.models import CloseReason
from safeops.core.notify.words import Words, every_language
from safeops.dispatch.choices import TO_OFFICER, Category, Priority, Status, label_of
from safeops.dispatch.models import OfficerStatus, StatusEvent, SupportRequest
from safeops.staff.choices import Role
from safeops.staff.models import Person

TAKEN = frozenset({Status.ACKNOWLEDGED, Status.EN_ROUTE, Status.ON_SCENE, Status.CLEARED})


# Paths, not reverse(): the first reverse() in a process loads every view, and this runs
# inside an assignment's transaction (tests check these against the URLconf).
OFFICER_PAGE = "/dispatch/officer/"
REQUEST_PAGE = "/dispatch/requests/{id}/"


def request_ref(request_id: int) -> str:
    return f"dispatch.request:{request_id}"


def request_alerts(request: SupportRequest, event: StatusEvent, *, was_awaiting: bool) -> None:
    """After a status change (in its transaction): alert the officer now offered the request,
    or close the alerts once the request is taken, cancelled or moved on."""
    ref = request_ref(request.pk)
    if event.to_status in TO_OFFICER:
        if event.from_status != Status.NEW:  # a new request was never offered: nothing open
            notify.notify_close(ref=ref, reason=CloseReason.SUPERSEDED)
        officer_user = (
            Person.objects.filter(pk=request.officer_id).values_list("user_id", flat=True).first()
            if request.officer_id is not None
            else None
        )
        if officer_user is not None:
            notify.notify_send(
                user_id=officer_user,
                priority=request.priority,
                title=every_language(
                    lambda: (
                        _("%(priority)s %(category)s · %(place)s")
                        % {
                            "priority": Priority(request.priority).name,
                            "category": label_of(Category, request.category),
                            "place": request.place,
                        }
                    )
                ),
                body=every_language(
                    lambda: (
                        _("Request #%(id)s is yours: acknowledge it on the officer page.")
                        % {"id": request.pk}
                    )
                ),
                link=f"{OFFICER_PAGE}?request={request.pk}",
                ref=ref,
                district_id=request.district_id,
            )
    elif was_awaiting:
        taken = event.to_status in TAKEN
        notify.notify_close(
            ref=ref, reason=CloseReason.ACKNOWLEDGED if taken else CloseReason.SUPERSEDED
        )
        # The supervisors' pages about it are moot once the request is taken or cancelled.
        notify.notify_close(ref=ref, reason=CloseReason.SUPERSEDED, with_children=True)


def page_supervisors(*, request: SupportRequest, message: Words, timer_event_id: int) -> None:
    """Page the call tree about an unacknowledged request (once per timer event), in each
    person's language."""
    notify.page_call_tree(
        district_id=request.district_id,
        title=every_language(
            lambda: (
                _("%(priority)s #%(id)s not acknowledged")
                % {"priority": Priority(request.priority).name, "id": request.pk}
            )
        ),
        body=message,
        link=REQUEST_PAGE.format(id=request.pk),
        ref=f"{request_ref(request.pk)}:escalation:{timer_event_id}",
    )


def officer_available(user_id: int) -> bool | None:
    """An SSO off duty is not available; a person with no duty row: no opinion."""
    on_duty = (
        OfficerStatus.objects.filter(person__user_id=user_id)
        .values_list("on_duty", flat=True)
        .first()
    )
    return None if on_duty is None else bool(on_duty)


def officers_off_duty(user_ids: set[int]) -> set[int]:
    """`officer_available` for many people in one query: those of them off duty."""
    off = OfficerStatus.objects.filter(person__user_id__in=user_ids, on_duty=False)
    return {int(user_id) for user_id in off.values_list("person__user_id", flat=True)}


def call_tree(district_id: int) -> list[list[int]]:
    """The district's dispatchers, then its security chief(s)."""
    tiers: list[list[int]] = []
    for role in (Role.DISPATCHER, Role.SECURITY_CHIEF):
        users = Person.objects.filter(
            district_id=district_id,
            role=role,
            active=True,
            user__isnull=False,
            user__is_active=True,
        ).values_list("user_id", flat=True)
        tiers.append([int(u) for u in users if u is not None])
    return tiers
