"""The training part of the demo district: the default catalog and a believable ledger.

Every SSO has last year's 40 h of SRO in-service and a valid POPS certification except one,
whose certification expired three weeks ago (the lapsed officer dispatch flags). Safety
Administrators and SSOs are, in turn, ahead of pace with every topic, behind, or on pace with
topics missing; some POPS certifications expire within 30–90 days. Every SSO qualified with
their firearm this year (one qualification expires within a month).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from safeops.core.audit import Actor
from safeops.schools.models import District
from safeops.staff.choices import Role
from safeops.staff.models import Person
from safeops.training import defaults, engine
from safeops.training.models import CertificationType, Topic
from safeops.training.selectors import policy_for
from safeops.training.services import (
    certification_record,
    completion_record,
    training_defaults_seed,
)


def training_demo_seed(*, district: District, today: dt.date, actor: Actor) -> int:
    """Seed the catalog and completions; returns how many people got records."""
    month = policy_for(district_id=district.pk).year_start_month
    year = engine.year_of(today, month)
    training_defaults_seed(district=district, actor=actor, from_year=year.key - 1)
    topics = {t.code: t for t in Topic.objects.filter(district=district)}
    pops = CertificationType.objects.get(district=district, code=defaults.POPS)
    firearm = CertificationType.objects.get(district=district, code=defaults.FIREARM)
    people = list(
        Person.objects.filter(
            district=district, role__in=[Role.SAFETY_ADMINISTRATOR, Role.SSO], active=True
        ).order_by("pk")
    )
    elapsed = max(1, (today - year.start).days + 1)
    previous = engine.training_year(year.key - 1, month)

    def add(person: Person, code: str, hours: Decimal, day: dt.date) -> None:
        completion_record(
            person=person,
            topic=topics[code],
            course=topics[code].courses.first(),
            hours=hours,
            completed_on=min(day, today),
            actor=actor,
            today=today,
        )

    officers = [p for p in people if p.role == Role.SSO]
    lapsed = officers[1] if len(officers) > 1 else (officers[0] if officers else None)
    for index, person in enumerate(people):
        pace = (Decimal(60) * elapsed / year.days).quantize(Decimal(1))
        kind = index % 3  # 0 ahead with every topic, 1 behind, 2 on pace with topics missing
        topic_codes = (
            defaults.SA_TOPICS if person.role == Role.SAFETY_ADMINISTRATOR else defaults.SSO_TOPICS
        )
        chosen = topic_codes if kind == 0 else topic_codes[:2]
        total = pace + 6 if kind == 0 else (pace / 3 if kind == 1 else pace)
        share = (Decimal(total) / len(chosen)).quantize(Decimal("0.25"))
        for step, code in enumerate(chosen):
            day = year.start + dt.timedelta(days=(step * elapsed) // max(1, len(chosen)))
            add(person, code, max(share, Decimal(1)), day)
        if person.role != Role.SSO:
            continue
        add(person, "pops-in-service", Decimal(40), previous.start + dt.timedelta(days=90))
        if kind != 1:
            add(person, "sro-2", Decimal(40), year.start + dt.timedelta(days=elapsed // 2))
        if person == lapsed:
            expires = today - dt.timedelta(days=21)
        else:
            expires = today + dt.timedelta(days=(25, 55, 400)[index % 3])
        certification_record(
            person=person,
            certification_type=pops,
            issued_on=expires - dt.timedelta(days=365 * 4),
            expires_on=expires,
            number=f"KY-{10000 + person.pk}",
            actor=actor,
        )
        qualified = today - dt.timedelta(days=(340, 200, 90)[index % 3])
        certification_record(
            person=person,
            certification_type=firearm,
            issued_on=qualified,
            expires_on=qualified + dt.timedelta(days=365),
            actor=actor,
        )
    return len(people)
