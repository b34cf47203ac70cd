"""The default catalog, the policy, courses, requirements and required topics."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from safeops.access import Resource
from safeops.core.audit import Actor
from safeops.core.services import model_create, model_delete, model_update
from safeops.schools.models import District
from safeops.staff.choices import Role
from safeops.training import defaults
from safeops.training.models import (
    CertificationType,
    Course,
    RequiredTopic,
    Requirement,
    RoleCertification,
    Topic,
    TrainingPolicy,
)
from safeops.training.services.common import (
    _require_manager,
)


def training_defaults_seed(*, district: District, actor: Actor, from_year: int) -> int:
    """Create the default topics, courses, requirements and certification rules where missing.

    Idempotent: returns how many rows it created (0 on a second run)."""
    created = 0
    with transaction.atomic():
        if not TrainingPolicy.objects.filter(district=district).exists():
            model_create(model=TrainingPolicy, actor=actor, district=district)
            created += 1
        topics: dict[str, Topic] = {}
        for spec in defaults.DEFAULT_TOPICS:
            topic = Topic.objects.filter(district=district, code=spec.code).first()
            if topic is None:
                topic = model_create(
                    model=Topic,
                    actor=actor,
                    district=district,
                    code=spec.code,
                    name=spec.name,
                    credit=spec.credit.value,
                    source=spec.source,
                )
                created += 1
            topics[spec.code] = topic
            if not Course.objects.filter(district=district, code=spec.code).exists():
                model_create(
                    model=Course,
                    actor=actor,
                    district=district,
                    code=spec.code,
                    title=spec.name,
                    topic=topic,
                    hours=spec.hours,
                    provider=spec.provider,
                    delivery_mode=spec.mode,
                )
                created += 1
        for req in defaults.DEFAULT_REQUIREMENTS:
            if Requirement.objects.filter(
                district=district, role=req.role, credit=req.credit.value
            ).exists():
                continue
            requirement = model_create(
                model=Requirement,
                actor=actor,
                district=district,
                role=req.role.value,
                from_year=from_year,
                credit=req.credit.value,
                name=req.name,
                hours=req.hours,
                lapse_when_unmet=req.lapse,
                source=req.source,
            )
            created += 1
            for code in req.topics:
                due = (11, 1) if code == defaults.ACTIVE_SHOOTER else (None, None)
                model_create(
                    model=RequiredTopic,
                    actor=actor,
                    district=district,
                    requirement=requirement,
                    topic=topics[code],
                    min_hours=Decimal(1) if code == defaults.ACTIVE_SHOOTER else Decimal(0),
                    due_month=due[0],
                    due_day=due[1],
                )
                created += 1
        types: dict[str, CertificationType] = {}
        for code, name, issuer in defaults.DEFAULT_CERTIFICATION_TYPES:
            cert_type = CertificationType.objects.filter(district=district, code=code).first()
            if cert_type is None:
                cert_type = model_create(
                    model=CertificationType,
                    actor=actor,
                    district=district,
                    code=code,
                    name=name,
                    issuer=issuer,
                    source=defaults.KRS_158_4414,
                )
                created += 1
            types[code] = cert_type
        for role, code, lapse in defaults.DEFAULT_ROLE_CERTIFICATIONS:
            if not RoleCertification.objects.filter(
                district=district, role=role, certification_type=types[code]
            ).exists():
                model_create(
                    model=RoleCertification,
                    actor=actor,
                    district=district,
                    role=role.value,
                    certification_type=types[code],
                    lapse_when_invalid=lapse,
                )
                created += 1
    return created


def training_policy_update(
    *,
    district: District,
    actor: Actor,
    year_start_month: int,
    lapse_grace_days: int,
    topic_reminder_days: int,
) -> TrainingPolicy:
    _require_manager(actor, district.pk, Resource.TRAINING_CATALOG)
    data: dict[str, Any] = {
        "year_start_month": year_start_month,
        "lapse_grace_days": lapse_grace_days,
        "topic_reminder_days": topic_reminder_days,
    }
    policy = TrainingPolicy.objects.filter(district=district).first()
    if policy is None:
        return model_create(model=TrainingPolicy, actor=actor, district=district, **data)
    return model_update(instance=policy, actor=actor, data=data)


def course_create(
    *,
    district: District,
    actor: Actor,
    code: str,
    title: str,
    topic: Topic,
    hours: Decimal,
    provider: str,
    delivery_mode: str,
) -> Course:
    _require_manager(actor, district.pk, Resource.TRAINING_CATALOG)
    return model_create(
        model=Course,
        actor=actor,
        district=district,
        code=code,
        title=title.strip(),
        topic=topic,
        hours=hours,
        provider=provider.strip(),
        delivery_mode=delivery_mode,
    )


def requirement_save(
    *,
    district: District,
    actor: Actor,
    role: Role,
    from_year: int,
    credit: str,
    name: str,
    hours: Decimal,
    lapse_when_unmet: bool = False,
) -> Requirement:
    """Set a role's hours of one kind from a training year on (creating that year's row, with
    the topics of the rule it replaces, or updating it)."""
    _require_manager(actor, district.pk, Resource.TRAINING_CATALOG)
    with transaction.atomic():
        row = Requirement.objects.filter(
            district=district, role=role, from_year=from_year, credit=credit
        ).first()
        data: dict[str, Any] = {
            "name": name.strip(),
            "hours": hours,
            "lapse_when_unmet": lapse_when_unmet,
        }
        if row is not None:
            return model_update(instance=row, actor=actor, data=data)
        earlier = (
            Requirement.objects.filter(
                district=district, role=role, credit=credit, from_year__lt=from_year
            )
            .order_by("-from_year")
            .first()
        )
        row = model_create(
            model=Requirement,
            actor=actor,
            district=district,
            role=role.value,
            from_year=from_year,
            credit=credit,
            source=earlier.source if earlier else "",
            **data,
        )
        if earlier is not None:
            for item in earlier.topics.all():
                model_create(
                    model=RequiredTopic,
                    actor=actor,
                    district=district,
                    requirement=row,
                    topic=item.topic,
                    min_hours=item.min_hours,
                    due_month=item.due_month,
                    due_day=item.due_day,
                )
        return row


def required_topic_add(
    *,
    requirement: Requirement,
    topic: Topic,
    actor: Actor,
    min_hours: Decimal = Decimal(0),
    due_month: int | None = None,
    due_day: int | None = None,
) -> RequiredTopic:
    _require_manager(actor, requirement.district_id, Resource.TRAINING_CATALOG)
    return model_create(
        model=RequiredTopic,
        actor=actor,
        district_id=requirement.district_id,
        requirement=requirement,
        topic=topic,
        min_hours=min_hours,
        due_month=due_month,
        due_day=due_day,
    )


def required_topic_remove(*, item: RequiredTopic, actor: Actor) -> None:
    _require_manager(actor, item.district_id, Resource.TRAINING_CATALOG)
    model_delete(instance=item, actor=actor)
