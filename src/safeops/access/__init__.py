"""The one access module: what each user may see and change.

Views, the API and the admin all ask here. The rules are data (RULES below: the district
model's here, each feature app's from its rules.py, registered by its AppConfig.ready()), read as
"a <role> may <action> <resource> within <reach>":

- ALL: every record in the district;
- ASSIGNED: only records inside the user's current assignment (an SA's schools, an SSO's
  zone and its schools, a principal's school), see `Viewer`;
- NONE: nothing. A community monitor sees aggregates only, never individual records.

Superusers may do everything. A login with no staff record (no role) may do nothing.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from safeops.core.accessgen import GenerationCache, request_generation
from safeops.schools.models import School
from safeops.staff.choices import Role
from safeops.staff.models import Assignment, Person
from safeops.zones.models import Zone, ZoneMembership

AnyUser = AbstractBaseUser | AnonymousUser
M = TypeVar("M", bound=Model)


class Reach(enum.Enum):
    ALL = "all"
    ASSIGNED = "assigned"
    NONE = "none"


class Resource(enum.StrEnum):
    SCHOOL = "school"
    ZONE = "zone"
    ASSIGNMENT = "assignment"
    PERSON = "person"
    AUDIT = "audit"
    SCENARIO = "scenario"  # zone-planning scenarios
    REQUEST = "request"  # dispatch: support requests
    OFFICER = "officer"  # dispatch: an SSO's duty and position
    DISPATCH_SETTINGS = "dispatch_settings"
    # Safety Administrator workspace (docs/sa-workspace.md)
    DRILL = "drill"  # drill log and compliance
    SAFETY_SETTINGS = "safety_settings"  # school calendars, drill rules, audit templates
    SAFETY_PLAN = "safety_plan"  # school safety (emergency operations) plans, floor plans
    FACILITY_AUDIT = "facility_audit"  # physical-plant audits, findings, remediation
    INCIDENT = "incident"  # the SA's incident intervention log
    # Training and certification (docs/training.md)
    TRAINING_RECORD = "training_record"  # completions, certifications, certificate files
    TRAINING_CATALOG = "training_catalog"  # topics, courses, requirements, policy
    # Threat monitoring and assessment (docs/threat-assessment.md)
    TIP = "tip"  # anonymous tips: triage queue and timeline
    THREAT_CASE = "threat_case"  # behavioral threat assessment cases (education records)
    THREAT_TEAM = "threat_team"  # school threat assessment teams (KRS 158.4412)
    THREAT_SETTINGS = "threat_settings"  # district lead designation, enrollment denominators
    RESOURCE_DIRECTORY = "resource_directory"  # community resources (docs/resource-directory.md)
    # Closed-loop referrals and onboarding (docs/referrals.md)
    REFERRAL = "referral"  # a student referred to a community service
    REFERRAL_STATS = "referral_stats"  # district aggregates (small cells suppressed)
    ONBOARDING = "onboarding"  # SA/SSO provider contacts, the onboarding checklist
    # After the call (docs/sso-reports.md): law-enforcement-unit records, not education records
    SSO_REPORT = "sso_report"  # an SSO's incident report on a request (sealed narrative)
    SSO_HANDOFF = (
        "sso_handoff"  # a hand-off after a call (referral, court notice, gun-violence MHP)
    )
    PATROL_PLAN = "patrol_plan"  # an SSO's day plan, its stops and check-ins
    PATROL_SETTINGS = "patrol_settings"  # bell times, patrol points, coverage targets
    # SSO roster (docs/roster.md)
    SHIFT = "shift"  # shifts, relief and days off of SSOs
    COVERAGE_EVENT = "coverage_event"  # evening and athletic events needing officers
    # Vehicles and equipment (docs/fleet.md)
    VEHICLE = "vehicle"  # patrol vehicles, their status and mileage
    VEHICLE_RECORD = "vehicle_record"  # assignments, inspections and fleet tasks of a vehicle
    FLEET_SETTINGS = "fleet_settings"  # the district's inspection checklist
    EQUIPMENT = "equipment"  # radios, body cameras, AEDs, naloxone issued to officers
    # Accountability reports (docs/reports.md)
    REPORT = "report"  # the board report and the monitors' view, through disclosure control
    REPORT_UNSUPPRESSED = "report_unsuppressed"  # the chief's internal view (audited)
    REPORT_MONITORING = "report_monitoring"  # the community monitoring team's view (audited)
    STATE_REPORT = (
        "state_report"  # Kentucky's SRO report and HB 63 campus status (docs/kentucky-reports.md)
    )


class Action(enum.StrEnum):
    VIEW = "view"
    CHANGE = "change"  # create, update and delete


DISTRICT_WIDE_ROLES = frozenset(
    {
        Role.SECURITY_CHIEF,
        Role.DISPATCHER,
        Role.MENTAL_HEALTH_PRACTITIONER,
        Role.COURT_LIAISON,
        Role.VIOLENCE_PREVENTION_SPECIALIST,
        Role.TRAINING_COORDINATOR,
    }
)
ASSIGNED_ROLES = frozenset(
    {Role.SSO, Role.SAFETY_ADMINISTRATOR, Role.PRINCIPAL, Role.COUNSELOR, Role.SECURITY_MONITOR}
)
AGGREGATE_ONLY_ROLES = frozenset({Role.COMMUNITY_MONITOR})

_OPERATIONAL = (Resource.SCHOOL, Resource.ZONE, Resource.ASSIGNMENT, Resource.PERSON)


RuleTable = dict[tuple[Role, Resource, Action], Reach]


def _build_rules() -> RuleTable:
    """The district model's rules; each feature app adds its own (register_rules)."""
    rules: RuleTable = {}
    for role in Role:
        for resource in Resource:
            for action in Action:
                rules[(role, resource, action)] = Reach.NONE
    for role in DISTRICT_WIDE_ROLES:
        for resource in _OPERATIONAL:
            rules[(role, resource, Action.VIEW)] = Reach.ALL
    for role in ASSIGNED_ROLES:
        for resource in _OPERATIONAL:
            rules[(role, resource, Action.VIEW)] = Reach.ASSIGNED
    # Only the security chief changes the district model and reads the audit log.
    for resource in _OPERATIONAL:
        rules[(Role.SECURITY_CHIEF, resource, Action.CHANGE)] = Reach.ALL
    rules[(Role.SECURITY_CHIEF, Resource.AUDIT, Action.VIEW)] = Reach.ALL
    return rules


RULES = _build_rules()


def school_record_rules(rules: RuleTable, resource: Resource) -> None:
    """A school's SA workspace records (drills, safety plans, facility audits; ASSIGNED is the
    record's school): its SA and principal record them; its counselor, security monitor and
    zone SSO see them; district roles see all; the chief changes all."""
    school_staff = (Role.SAFETY_ADMINISTRATOR, Role.PRINCIPAL)
    school_readers = (Role.COUNSELOR, Role.SECURITY_MONITOR, Role.SSO)
    for role in DISTRICT_WIDE_ROLES:
        rules[(role, resource, Action.VIEW)] = Reach.ALL
    for role in (*school_staff, *school_readers):
        rules[(role, resource, Action.VIEW)] = Reach.ASSIGNED
    for role in school_staff:
        rules[(role, resource, Action.CHANGE)] = Reach.ASSIGNED
    rules[(Role.SECURITY_CHIEF, resource, Action.CHANGE)] = Reach.ALL


def register_rules(add: Callable[[RuleTable], None]) -> None:
    """An app's reach per role for its resources, from its AppConfig.ready() (rules.py)."""
    add(RULES)


@dataclass(frozen=True)
class Viewer:
    """A user's role and current scope: the schools and zones their assignments reach."""

    user: AnyUser
    role: Role | None
    district_id: int | None
    person_id: int | None
    school_ids: frozenset[int]
    zone_ids: frozenset[int]
    is_superuser: bool

    def reach(self, resource: Resource, action: Action) -> Reach:
        if self.is_superuser:
            return Reach.ALL
        if self.role is None:
            return Reach.NONE
        return RULES[(self.role, resource, action)]


def current_filter(on: dt.date, prefix: str = "") -> Q:
    """Rows whose [starts_on, ends_on) period contains `on`."""
    return Q(**{f"{prefix}starts_on__lte": on}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gt": on})
    )


@dataclass(frozen=True)
class _Scope:
    role: Role
    district_id: int
    person_id: int
    school_ids: frozenset[int]
    zone_ids: frozenset[int]


def _current(alias: str) -> str:
    """current_filter's rule, in SQL: the [starts_on, ends_on) period contains the date."""
    return f"{alias}.starts_on <= %s AND ({alias}.ends_on IS NULL OR {alias}.ends_on > %s)"


# A person's current assignments, the schools of an assigned zone and the zones of an assigned
# school, in one round trip: every API call's first request in a while pays for this.
_SCOPE_SQL = f"""
SELECT p.id, p.role, p.district_id, a.school_id, a.zone_id, of_zone.school_id, of_school.zone_id
FROM {Person._meta.db_table} p
LEFT JOIN {Assignment._meta.db_table} a
    ON a.person_id = p.id AND {_current("a")}
LEFT JOIN {ZoneMembership._meta.db_table} of_zone
    ON of_zone.zone_id = a.zone_id AND {_current("of_zone")}
LEFT JOIN {ZoneMembership._meta.db_table} of_school
    ON of_school.school_id = a.school_id AND {_current("of_school")}
WHERE p.user_id = %s AND p.active = %s
"""  # noqa: S608 - table names from the models; every value is a parameter


def _load_scope(user_id: int, on: dt.date) -> _Scope | None:
    with connection.cursor() as cursor:
        cursor.execute(_SCOPE_SQL, [on, on] * 3 + [user_id, True])
        rows = cursor.fetchall()
    if not rows:
        return None
    person_id, role, district_id = rows[0][:3]
    schools: set[int] = set()
    zones: set[int] = set()
    for _p, _r, _d, school_id, zone_id, school_of_zone, zone_of_school in rows:
        for school in (school_id, school_of_zone):
            if school is not None:
                schools.add(school)
        for zone in (zone_id, zone_of_school):
            if zone is not None:
                zones.add(zone)
    return _Scope(
        role=Role(role),
        district_id=district_id,
        person_id=person_id,
        school_ids=frozenset(schools),
        zone_ids=frozenset(zones),
    )


# A user with no active person: kept too (a token of a login with no staff record).
_NO_SCOPE = _Scope(Role.SSO, 0, 0, frozenset(), frozenset())
_scopes: GenerationCache[tuple[int, dt.date], _Scope] = GenerationCache()


def _resolve_viewer(user: AnyUser, on: dt.date) -> Viewer:
    anonymous = Viewer(user, None, None, None, frozenset(), frozenset(), is_superuser=False)
    if not user.is_authenticated or not user.is_active:
        return anonymous
    is_superuser = bool(getattr(user, "is_superuser", False))
    # Kept per process under the access generation, never longer: an ended assignment or a
    # deactivated person replaces it in the same commit (every server process at once).
    user_id = int(user.pk)
    scope = _scopes.get(
        (user_id, on), request_generation(user), lambda: _load_scope(user_id, on) or _NO_SCOPE
    )
    if scope is _NO_SCOPE:
        scope = None
    if scope is None:
        return Viewer(user, None, None, None, frozenset(), frozenset(), is_superuser)
    return Viewer(
        user=user,
        role=scope.role,
        district_id=scope.district_id,
        person_id=scope.person_id,
        school_ids=scope.school_ids,
        zone_ids=scope.zone_ids,
        is_superuser=is_superuser,
    )


def viewer_for(user: AnyUser, *, on: dt.date | None = None) -> Viewer:
    """The user's scope today (cached on the user object for the request)."""
    day = on or timezone.localdate()
    cached: Viewer | None = getattr(user, "_safeops_viewer", None)
    if cached is not None and getattr(user, "_safeops_viewer_day", None) == day:
        return cached
    viewer = _resolve_viewer(user, day)
    user._safeops_viewer = viewer  # type: ignore[union-attr]
    user._safeops_viewer_day = day  # type: ignore[union-attr]
    return viewer


def forget_viewer(user: AnyUser) -> None:
    """Drop the scope kept on the user object (after an assignment of this user changed)."""
    for attribute in ("_safeops_viewer", "_safeops_viewer_day"):
        if hasattr(user, attribute):
            delattr(user, attribute)


# --- Scoped querysets -------------------------------------------------------------------------


def _scope_q(resource: Resource, viewer: Viewer) -> Q:
    if resource in _EXTRA_SCOPES:
        return _EXTRA_SCOPES[resource](viewer)
    if resource == Resource.SCHOOL:
        return Q(pk__in=viewer.school_ids)
    if resource == Resource.ZONE:
        return Q(pk__in=viewer.zone_ids)
    if resource == Resource.ASSIGNMENT:
        return Q(school_id__in=viewer.school_ids) | Q(zone_id__in=viewer.zone_ids)
    if resource == Resource.PERSON:
        day = timezone.localdate()
        visible_assignments = Assignment.objects.filter(current_filter(day)).filter(
            Q(school_id__in=viewer.school_ids) | Q(zone_id__in=viewer.zone_ids)
        )
        return Q(pk=viewer.person_id) | Q(pk__in=visible_assignments.values("person_id"))
    return Q(pk__in=[])


def _district_q(resource: Resource, viewer: Viewer) -> Q:
    if viewer.is_superuser or viewer.district_id is None:
        return Q()
    field = {
        Resource.SCHOOL: "district_id",
        Resource.ZONE: "district_id",
        Resource.PERSON: "district_id",
        Resource.ASSIGNMENT: "person__district_id",
    }.get(resource) or _EXTRA_DISTRICT_FIELDS.get(resource)
    return Q(**{field: viewer.district_id}) if field else Q()


def restrict(queryset: QuerySet[M], user: AnyUser, action: Action = Action.VIEW) -> QuerySet[M]:
    """`queryset` narrowed to the rows `user` may `action`."""
    resource = resource_of(queryset.model)
    viewer = viewer_for(user)
    reach = viewer.reach(resource, action)
    if reach == Reach.NONE:
        return queryset.none()
    narrowed = queryset.filter(_district_q(resource, viewer))
    if reach == Reach.ALL:
        return narrowed
    return narrowed.filter(_scope_q(resource, viewer))


def resource_of(model: type[Model]) -> Resource:
    try:
        return _RESOURCE_BY_MODEL[model]
    except KeyError:
        raise LookupError(f"No access rule covers {model._meta.label}.") from None


_RESOURCE_BY_MODEL: dict[type[Model], Resource] = {
    School: Resource.SCHOOL,
    Zone: Resource.ZONE,
    Assignment: Resource.ASSIGNMENT,
    Person: Resource.PERSON,
}


# Scopes and district fields of resources whose app registers them (see register_resource).
_EXTRA_SCOPES: dict[Resource, Callable[[Viewer], Q]] = {}
_EXTRA_DISTRICT_FIELDS: dict[Resource, str] = {}


def register_resource(
    model: type[Model],
    resource: Resource,
    *,
    scope: Callable[[Viewer], Q] | None = None,
    district_field: str | None = None,
) -> None:
    """Map `model` to `resource`; an app may give the ASSIGNED scope and the district field."""
    _RESOURCE_BY_MODEL[model] = resource
    if scope is not None:
        _EXTRA_SCOPES[resource] = scope
    if district_field is not None:
        _EXTRA_DISTRICT_FIELDS[resource] = district_field


def school_scope(viewer: Viewer) -> Q:
    """ASSIGNED scope for records of a school: the viewer's schools (an SSO's: its zone's)."""
    return Q(school_id__in=viewer.school_ids)


def no_scope(viewer: Viewer) -> Q:
    """An app's ASSIGNED scope for records no one reaches through an assignment."""
    return Q(pk__in=[])


def schools_with_access(
    user: AnyUser, action: Action = Action.VIEW, resource: Resource = Resource.DRILL
) -> QuerySet[School]:
    """Active schools whose `resource` records (drills by default) `user` may `action`."""
    viewer = viewer_for(user)
    reach = viewer.reach(resource, action)
    if reach == Reach.NONE:
        return School.objects.none()
    schools = School.objects.filter(active=True)
    if viewer.district_id is not None and not viewer.is_superuser:
        schools = schools.filter(district_id=viewer.district_id)
    if reach == Reach.ASSIGNED:
        schools = schools.filter(pk__in=viewer.school_ids)
    return schools.order_by("name")


def schools_visible_to(user: AnyUser) -> QuerySet[School]:
    return restrict(School.objects.all(), user)


def zones_visible_to(user: AnyUser) -> QuerySet[Zone]:
    return restrict(Zone.objects.all(), user)


def assignments_visible_to(user: AnyUser) -> QuerySet[Assignment]:
    return restrict(Assignment.objects.all(), user)


def people_visible_to(user: AnyUser) -> QuerySet[Person]:
    return restrict(Person.objects.all(), user)


# --- Single objects ---------------------------------------------------------------------------


def can(user: AnyUser, action: Action, obj: Model) -> bool:
    """May `user` `action` this record?"""
    model = type(obj)
    return restrict(model._default_manager.filter(pk=obj.pk), user, action).exists()


def can_any(user: AnyUser, action: Action, resource: Resource) -> bool:
    """May `user` `action` at least some records of `resource` (e.g. show the menu entry)?"""
    return viewer_for(user).reach(resource, action) != Reach.NONE


def can_use_admin(user: AnyUser) -> bool:
    viewer = viewer_for(user)
    if viewer.is_superuser:
        return True
    return viewer.role is not None and viewer.role not in AGGREGATE_ONLY_ROLES


# The admin is the district's configuration desk: it stays in the menu of the security chief's
# office (and superusers). Field roles (SSO on a phone, SA, principal, counselor…) do their work
# on the pages; the admin still opens for them by address, with the same scoped rights.
ADMIN_MENU_ROLES = frozenset({Role.SECURITY_CHIEF})


def admin_in_menu(user: AnyUser) -> bool:
    viewer = viewer_for(user)
    return can_use_admin(user) and (viewer.is_superuser or viewer.role in ADMIN_MENU_ROLES)


def oversees(user: AnyUser) -> bool:
    """Reads the audit log and retries background jobs: the security chief and superusers
    (registered as core's overseer check, `core.overseers`)."""
    return viewer_for(user).reach(Resource.AUDIT, Action.VIEW) == Reach.ALL


def describe(user: AnyUser) -> dict[str, Any]:
    """A short, template-friendly summary of the user's role and scope."""
    viewer = viewer_for(user)
    return {
        "role": viewer.role,
        "role_label": viewer.role.label
        if viewer.role
        else ("Administrator" if viewer.is_superuser else ""),
        "school_count": len(viewer.school_ids),
        "zone_count": len(viewer.zone_ids),
        "district_wide": viewer.is_superuser or viewer.role in DISTRICT_WIDE_ROLES,
        "aggregate_only": viewer.role in AGGREGATE_ONLY_ROLES,
    }
