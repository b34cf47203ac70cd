"""Reads of the training ledger, narrowed by safeops.access, and the compliance assessments.

`assess_people` loads a district's rules and the people's confirmed records in a handful of
queries and hands them to the pure engine (safeops.training.engine). `lapsed_officers` is
the cheap district-wide flag dispatch shows beside officers.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from safeops.access import Action, AnyUser, Reach, Resource, restrict, viewer_for
from safeops.core.audit import audit_read
from safeops.core.i18n import seeded
from safeops.core.notify.words import Words
from safeops.staff.choices import Role
from safeops.staff.models import Person
from safeops.training import engine
from safeops.training.models import (
    CarryOverRule,
    CertificateFile,
    Certification,
    CertificationType,
    Completion,
    Course,
    RecordStatus,
    RequiredTopic,
    Requirement,
    RoleCertification,
    Topic,
    TrainingPolicy,
)
from safeops.training.reminder_words import (
    cert_expired_words,
    cert_expiring_words,
    topic_due_words,
)
from safeops.training.scopes import people_scope

NO_PERSON = gettext_lazy(
    "Your login is not linked to a staff record, so it has no training record."
)


def policy_for(*, district_id: int) -> TrainingPolicy:
    """The district's policy, or the default one (July–June, no grace) if none is saved."""
    policy = TrainingPolicy.objects.filter(district_id=district_id).first()
    return policy or TrainingPolicy(district_id=district_id)


# --- Rules -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DistrictRules:
    policy: TrainingPolicy
    requirements: dict[str, list[Requirement]]  # by role, with prefetched topics
    topics: dict[int, list[RequiredTopic]]  # by requirement id
    certs: dict[str, tuple[engine.CertRule, ...]]  # by role
    carry: dict[str, tuple[engine.CarryRule, ...]]  # by role

    def roles(self) -> set[str]:
        return set(self.requirements) | {r for r, rules in self.certs.items() if rules}

    def year_rules(self, role: str, key: int) -> engine.YearRules | None:
        rows = [r for r in self.requirements.get(role, []) if r.from_year <= key]
        if not rows:
            return None
        latest: dict[str, Requirement] = {}
        for row in sorted(rows, key=lambda r: r.from_year):
            latest[row.credit] = row
        chosen = sorted(latest.values(), key=lambda r: r.credit)
        return engine.YearRules(
            hours=tuple(
                engine.HourRule(
                    credit=engine.Credit(r.credit),
                    name=r.name,
                    hours=r.hours,
                    lapse=r.lapse_when_unmet,
                )
                for r in chosen
            ),
            topics=tuple(
                engine.TopicRule(
                    topic=item.topic.code,
                    name=item.topic.name,
                    min_hours=item.min_hours,
                    due_month=item.due_month,
                    due_day=item.due_day,
                )
                for r in chosen
                for item in self.topics.get(r.pk, [])
            ),
        )

    def rules_by_year(self, role: str, keys: Iterable[int]) -> dict[int, engine.YearRules]:
        found = {key: self.year_rules(role, key) for key in keys}
        return {key: rules for key, rules in found.items() if rules is not None}


def district_rules(*, district_id: int) -> DistrictRules:
    """Four queries: policy, requirements, required topics, certification and carry rules."""
    policy = policy_for(district_id=district_id)
    requirements: dict[str, list[Requirement]] = defaultdict(list)
    for row in Requirement.objects.filter(district_id=district_id):
        requirements[row.role].append(row)
    topics: dict[int, list[RequiredTopic]] = defaultdict(list)
    for item in RequiredTopic.objects.filter(district_id=district_id).select_related("topic"):
        topics[item.requirement_id].append(item)
    certs: dict[str, list[engine.CertRule]] = defaultdict(list)
    for rc in RoleCertification.objects.filter(district_id=district_id).select_related(
        "certification_type"
    ):
        certs[rc.role].append(
            engine.CertRule(
                code=rc.certification_type.code,
                name=rc.certification_type.name,
                lapse=rc.lapse_when_invalid,
            )
        )
    carry: dict[str, list[engine.CarryRule]] = defaultdict(list)
    carry_rows = list(CarryOverRule.objects.filter(district_id=district_id))
    for role in Role:
        for c in carry_rows:
            if c.role in ("", role.value):
                carry[role.value].append(
                    engine.CarryRule(credit=engine.Credit(c.credit), max_hours=c.max_hours)
                )
    return DistrictRules(
        policy=policy,
        requirements=dict(requirements),
        topics=dict(topics),
        certs={role: tuple(rules) for role, rules in certs.items()},
        carry={role: tuple(rules) for role, rules in carry.items()},
    )


# --- Assessments -----------------------------------------------------------------------------


def assess_people(
    *, district_id: int, people: Sequence[Person], on: dt.date, rules: DistrictRules | None = None
) -> dict[int, engine.Assessment]:
    """Each person's assessment on `on`: rules (4 queries) plus completions and certifications
    (2 queries) for the whole list."""
    rules = rules or district_rules(district_id=district_id)
    month = rules.policy.year_start_month
    current = engine.year_key(on, month)
    keys = (current - 2, current - 1, current)
    since = engine.training_year(current - 2, month).start
    until = engine.training_year(current, month).end
    ids = [p.pk for p in people]
    done: dict[int, list[engine.Done]] = defaultdict(list)
    rows = (
        Completion.objects.filter(person_id__in=ids, status=RecordStatus.CONFIRMED)
        .filter(Q(completed_on__gte=since, completed_on__lte=until) | Q(counts_for_year__in=keys))
        .values_list(
            "person_id", "completed_on", "hours", "topic__credit", "topic__code", "counts_for_year"
        )
    )
    for person_id, on_day, hours, credit, code, counts_for in rows:
        done[person_id].append(
            engine.Done(
                on=on_day,
                hours=hours,
                credit=engine.Credit(credit),
                topic=code,
                counts_for=counts_for,
            )
        )
    held: dict[int, list[engine.Held]] = defaultdict(list)
    for person_id, code, expires in Certification.objects.filter(
        person_id__in=ids, status=RecordStatus.CONFIRMED
    ).values_list("person_id", "certification_type__code", "expires_on"):
        held[person_id].append(engine.Held(code=code, expires_on=expires))
    result = {}
    for person in people:
        result[person.pk] = engine.assess(
            on=on,
            start_month=month,
            rules_by_year=rules.rules_by_year(person.role, keys),
            cert_rules=rules.certs.get(person.role, ()),
            carry=rules.carry.get(person.role, ()),
            done=done.get(person.pk, []),
            held=held.get(person.pk, []),
            grace_days=rules.policy.lapse_grace_days,
        )
    return result


def lapsed_officers(*, district_id: int, on: dt.date) -> dict[int, str]:
    """SSOs whose SRO training or POPS certification has lapsed on `on`: staff.Person id →
    a short reason ("POPS certification expired 2026-10-01"; several joined by "; ").

    Kentucky suspends an SRO's certification until missed training is made up (KRS 158.4414).
    Eight queries for the whole district; see docs/training.md for the exact definition."""
    officers = list(Person.objects.filter(district_id=district_id, role=Role.SSO, active=True))
    if not officers:
        return {}
    assessments = assess_people(district_id=district_id, people=officers, on=on)
    return {person_id: "; ".join(a.lapses) for person_id, a in assessments.items() if a.lapses}


# --- Pages -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonTraining:
    person: Person
    assessment: engine.Assessment
    completions: list[Completion]
    certifications: list[Certification]
    files: dict[tuple[str, int], list[CertificateFile]]
    may_manage: bool


def _may_manage(user: AnyUser) -> bool:
    return viewer_for(user).reach(Resource.TRAINING_RECORD, Action.CHANGE) == Reach.ALL


def _person_training(user: AnyUser, person: Person, on: dt.date) -> PersonTraining:
    assessment = assess_people(district_id=person.district_id, people=[person], on=on)[person.pk]
    completions = list(
        restrict(Completion.objects.filter(person=person), user)
        .select_related("topic", "course")
        .order_by("-completed_on", "-id")[:200]
    )
    certifications = list(
        restrict(Certification.objects.filter(person=person), user).select_related(
            "certification_type"
        )
    )
    files: dict[tuple[str, int], list[CertificateFile]] = defaultdict(list)
    for stored in restrict(CertificateFile.objects.filter(person=person), user):
        if stored.completion_id is not None:
            files[("completion", stored.completion_id)].append(stored)
        elif stored.certification_id is not None:
            files[("certification", stored.certification_id)].append(stored)
    return PersonTraining(
        person, assessment, completions, certifications, dict(files), _may_manage(user)
    )


def my_training(*, user: AnyUser, on: dt.date | None = None) -> PersonTraining:
    viewer = viewer_for(user)
    person = Person.objects.filter(pk=viewer.person_id).first() if viewer.person_id else None
    if person is None:
        raise Http404(NO_PERSON)
    return _person_training(user, person, on or timezone.localdate())


def training_people_for_user(*, user: AnyUser) -> QuerySet[Person]:
    """People whose training records the user may see."""
    viewer = viewer_for(user)
    reach = viewer.reach(Resource.TRAINING_RECORD, Action.VIEW)
    if reach == Reach.NONE:
        return Person.objects.none()
    people = Person.objects.filter(active=True)
    if viewer.district_id is not None:
        people = people.filter(district_id=viewer.district_id)
    if reach == Reach.ALL:
        return people
    return people.filter(people_scope(viewer))


def person_training_for_user(
    *, user: AnyUser, person_id: int, on: dt.date | None = None
) -> PersonTraining:
    person = training_people_for_user(user=user).filter(pk=person_id).first()
    if person is None:
        raise Http404(gettext("No such person."))
    if person.pk != viewer_for(user).person_id:
        audit_read(actor=user, instance=person, note="training record")
    return _person_training(user, person, on or timezone.localdate())


@dataclass(frozen=True)
class ComplianceRow:
    person: Person
    assessment: engine.Assessment


def district_compliance_for_user(*, user: AnyUser, on: dt.date) -> list[ComplianceRow]:
    """Everyone in scope with training rules, riskiest first."""
    viewer = viewer_for(user)
    people_qs = training_people_for_user(user=user)
    if viewer.district_id is None:
        first = people_qs.first()
        if first is None:
            return []
        district_id = first.district_id
    else:
        district_id = viewer.district_id
    rules = district_rules(district_id=district_id)
    people = list(people_qs.filter(district_id=district_id, role__in=rules.roles()))
    assessments = assess_people(district_id=district_id, people=people, on=on, rules=rules)
    rows = [ComplianceRow(p, assessments[p.pk]) for p in people]
    rows.sort(key=lambda r: (-r.assessment.risk, r.person.full_name))
    return rows


def completion_get_for_user(
    *, user: AnyUser, completion_id: int, action: Action = Action.VIEW
) -> Completion:
    found = (
        restrict(Completion.objects.select_related("person"), user, action)
        .filter(pk=completion_id)
        .first()
    )
    if found is None:
        raise Http404(gettext("No such completion."))
    return found


def certification_get_for_user(
    *, user: AnyUser, certification_id: int, action: Action = Action.VIEW
) -> Certification:
    found = (
        restrict(Certification.objects.select_related("person"), user, action)
        .filter(pk=certification_id)
        .first()
    )
    if found is None:
        raise Http404(gettext("No such certification."))
    return found


def certificate_file_get_for_user(*, user: AnyUser, file_id: int) -> CertificateFile:
    found = restrict(CertificateFile.objects.all(), user).filter(pk=file_id).first()
    if found is None:
        raise Http404(gettext("No such file."))
    if found.person_id != viewer_for(user).person_id:
        audit_read(actor=user, instance=found, note="certificate file")
    return found


def pending_for_user(*, user: AnyUser) -> tuple[list[Completion], list[Certification]]:
    """Records waiting for confirmation that the user may confirm."""
    if not _may_manage(user):
        return [], []
    completions = restrict(
        Completion.objects.filter(status=RecordStatus.PENDING), user, Action.CHANGE
    ).select_related("person", "topic")
    certifications = restrict(
        Certification.objects.filter(status=RecordStatus.PENDING), user, Action.CHANGE
    ).select_related("person", "certification_type")
    return list(completions[:200]), list(certifications[:200])


@dataclass(frozen=True)
class Catalog:
    policy: TrainingPolicy
    topics: list[Topic]
    courses: list[Course]
    requirements: list[Requirement]
    certification_types: list[CertificationType]
    role_certifications: list[RoleCertification]
    carry_rules: list[CarryOverRule]
    may_change: bool


def catalog_for_user(*, user: AnyUser) -> Catalog:
    viewer = viewer_for(user)
    if viewer.reach(Resource.TRAINING_CATALOG, Action.VIEW) == Reach.NONE:
        raise Http404(gettext("No catalog."))
    district_id = viewer.district_id
    return Catalog(
        policy=policy_for(district_id=district_id) if district_id else TrainingPolicy(),
        topics=list(restrict(Topic.objects.all(), user)),
        courses=list(restrict(Course.objects.select_related("topic"), user)),
        requirements=list(
            restrict(Requirement.objects.all(), user).prefetch_related("topics__topic")
        ),
        certification_types=list(restrict(CertificationType.objects.all(), user)),
        role_certifications=list(
            restrict(RoleCertification.objects.select_related("certification_type"), user)
        ),
        carry_rules=list(restrict(CarryOverRule.objects.all(), user)),
        may_change=viewer.reach(Resource.TRAINING_CATALOG, Action.CHANGE) == Reach.ALL,
    )


# --- Due items: the iCalendar feed and reminders ---------------------------------------------


@dataclass(frozen=True)
class DueItem:
    key: str
    due: dt.date
    summary: str
    description: str


def due_items(assessment: engine.Assessment) -> list[DueItem]:
    """What the person still has to do: topics by their due date, hours by the year end,
    certifications by their expiry date."""
    year = assessment.year
    items = []
    for topic in assessment.missing_topics:
        items.append(
            DueItem(
                key=f"topic-{topic.rule.topic}-{year.key}",
                due=topic.due or year.end,
                summary=gettext("Training due: {topic}").format(topic=seeded(topic.rule.name)),
                description=gettext("Required topic for {year}.").format(year=year.label),
            )
        )
    for hours in assessment.hours:
        if hours.state != engine.HourState.MET:
            items.append(
                DueItem(
                    key=f"hours-{hours.rule.credit}-{year.key}",
                    due=year.end,
                    summary=gettext("{requirement}: {hours} h to go").format(
                        requirement=seeded(hours.rule.name),
                        hours=engine.hours_text(hours.shortfall),
                    ),
                    description=gettext("{total} of {required} h for {year}.").format(
                        total=engine.hours_text(hours.total),
                        required=engine.hours_text(hours.rule.hours),
                        year=year.label,
                    ),
                )
            )
    for cert in assessment.certs:
        if cert.expires_on is not None and cert.state != engine.CertState.VALID:
            items.append(
                DueItem(
                    key=f"cert-{cert.rule.code}-{cert.expires_on}",
                    due=cert.expires_on,
                    summary=gettext("{certification} certification expires").format(
                        certification=seeded(cert.rule.name)
                    ),
                    description=gettext("Renew before {day}.").format(day=cert.expires_on),
                )
            )
    return sorted(items, key=lambda i: (i.due, i.key))


@dataclass(frozen=True)
class ReminderItem:
    person: Person
    key: str
    subject: Words  # in every site language: each person gets theirs
    text: Words


def reminder_items(*, on: dt.date) -> list[ReminderItem]:
    """Reminders due on `on` for every district: one per certification window (90/60/30 days
    and expired) and one per required topic due within the policy's reminder days, worded in
    every site language."""
    items: list[ReminderItem] = []
    districts = (
        Person.objects.filter(active=True).exclude(email="").values_list("district_id", flat=True)
    )
    for district_id in sorted(set(districts)):
        rules = district_rules(district_id=district_id)
        people = list(
            Person.objects.filter(
                district_id=district_id, active=True, role__in=rules.roles()
            ).exclude(email="")
        )
        assessments = assess_people(district_id=district_id, people=people, on=on, rules=rules)
        soon = dt.timedelta(days=rules.policy.topic_reminder_days)
        for person in people:
            a = assessments[person.pk]
            for cert in a.certs:
                if cert.state == engine.CertState.EXPIRING:
                    key = f"cert-{cert.rule.code}-{cert.expires_on}-{cert.window}"
                    items.append(ReminderItem(person, key, *cert_expiring_words(cert)))
                elif cert.state == engine.CertState.EXPIRED:
                    key = f"cert-{cert.rule.code}-{cert.expires_on}-expired"
                    items.append(ReminderItem(person, key, *cert_expired_words(cert)))
            for topic in a.missing_topics:
                if topic.due is not None and on <= topic.due <= on + soon:
                    key = f"topic-{topic.rule.topic}-{a.year.key}"
                    items.append(ReminderItem(person, key, *topic_due_words(topic, a.year)))
    return items
