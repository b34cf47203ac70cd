"""The words of a training reminder, in every site language: each person is sent theirs
(`services.reminders`). Topic and certification names are the district's, or the seeded
defaults in the active language."""

from __future__ import annotations

from django.utils.translation import gettext

from safeops.core.i18n import seeded
from safeops.core.notify.words import Words, every_language
from safeops.training import engine


def cert_expiring_words(cert: engine.CertStatus) -> tuple[Words, Words]:
    def subject() -> str:
        return gettext("%(name)s certification expires %(date)s") % {
            "name": seeded(cert.rule.name),
            "date": cert.expires_on,
        }

    def text() -> str:
        return gettext(
            "Your %(name)s certification expires on %(date)s (%(days)s days). Renew it and "
            "send the certificate to the training coordinator."
        ) % {"name": seeded(cert.rule.name), "date": cert.expires_on, "days": cert.days_left}

    return every_language(subject), every_language(text)


def cert_expired_words(cert: engine.CertStatus) -> tuple[Words, Words]:
    def subject() -> str:
        return gettext("%(name)s certification expired %(date)s") % {
            "name": seeded(cert.rule.name),
            "date": cert.expires_on,
        }

    def text() -> str:
        return gettext("Your %(name)s certification expired on %(date)s.") % {
            "name": seeded(cert.rule.name),
            "date": cert.expires_on,
        }

    return every_language(subject), every_language(text)


def topic_due_words(topic: engine.TopicStatus, year: engine.TrainingYear) -> tuple[Words, Words]:
    def subject() -> str:
        return gettext("Training due by %(date)s: %(topic)s") % {
            "date": topic.due,
            "topic": seeded(topic.rule.name),
        }

    def text() -> str:
        return gettext(
            "%(topic)s is required by %(date)s for %(year)s and is not on your record yet."
        ) % {"topic": seeded(topic.rule.name), "date": topic.due, "year": year.label}

    return every_language(subject), every_language(text)
