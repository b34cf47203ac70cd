"""`{% referral_links support_request=... %}` / `{% referral_links incident=... %}`: the
referrals a linked record led to (those the user may see) and a link to make one. Used by the
dispatch request page and the incident page, which hold no referral logic themselves."""

from __future__ import annotations

from typing import Any

from django import template

from safeops.access import Action, Resource, can_any
from safeops.referrals.selectors import referral_list_for_user

register = template.Library()


@register.inclusion_tag("referrals/_links.html", takes_context=True)
def referral_links(
    context: dict[str, Any], *, support_request: Any = None, incident: Any = None
) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    may_view = can_any(user, Action.VIEW, Resource.REFERRAL)
    may_refer = can_any(user, Action.CHANGE, Resource.REFERRAL)
    if support_request is not None:
        query = f"support_request={support_request.pk}"
        school_id = support_request.school_id
        referrals = (
            referral_list_for_user(user=user, support_request_id=support_request.pk)
            if may_view
            else []
        )
    else:
        query = f"incident={incident.pk}"
        school_id = incident.school_id
        referrals = referral_list_for_user(user=user, incident_id=incident.pk) if may_view else []
    if school_id:
        query += f"&school={school_id}"
    return {
        "show": may_view or may_refer,
        "referrals": referrals,
        "may_refer": may_refer,
        "new_query": query,
    }
