"""`{% alert_receipts "dispatch.request" r.pk %}`: the alerts sent about a record, with their
receipts, for a page whose view already checked the viewer may see the record."""

from __future__ import annotations

from typing import Any

from django import template

from safeops.core.notify.selectors import notifications_for_ref

register = template.Library()


@register.inclusion_tag("core/_alert_receipts.html")
def alert_receipts(kind: str, record_id: int) -> dict[str, Any]:
    return {"alerts": notifications_for_ref(ref=f"{kind}:{record_id}")}
