"""Training reminders: topics due and certifications expiring, e-mailed once each, in the
language the person chose for their alerts."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation

from safeops.core.notify.selectors import alert_languages
from safeops.core.notify.words import in_language
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
    items = reminder_items(on=on)
    # The language each person chose for their alerts (My alerts), in one query.
    languages = alert_languages(user_ids=[item.person.user_id for item in items])
    for item in items:
        if TrainingReminder.objects.filter(person=item.person, key=item.key).exists():
            continue
        language = languages[item.person.user_id]
        with translation.override(language):
            body = str(REMINDER_BODY).format(
                who=item.person.full_name,
                what=in_language(item.text, language),
                url=f"{base_url}/training/",
            )
        send_mail(
            subject=in_language(item.subject, language),
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[item.person.email],
        )
        TrainingReminder.objects.create(person=item.person, key=item.key, sent_on=on)
        sent += 1
    return sent
