"""Training reminders: topics due and certifications expiring, e-mailed once each."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail

from safeops.training.models import (
    TrainingReminder,
)
from safeops.training.selectors import reminder_items
from safeops.training.services.common import (
    REMINDER_BODY,
)


def training_reminders_send(*, on: dt.date, base_url: str = "") -> int:
    """E-mail people whose certification expires within 90, 60 or 30 days (once per window),
    has expired (once), or whose required topic is due soon (once per topic and year).

    Returns how many e-mails were sent."""
    sent = 0
    for item in reminder_items(on=on):
        if TrainingReminder.objects.filter(person=item.person, key=item.key).exists():
            continue
        send_mail(
            subject=item.subject,
            message=REMINDER_BODY.format(
                who=item.person.full_name, what=item.text, url=f"{base_url}/training/"
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[item.person.email],
        )
        TrainingReminder.objects.create(person=item.person, key=item.key, sent_on=on)
        sent += 1
    return sent
