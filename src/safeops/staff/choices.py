from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SECURITY_CHIEF = "security_chief", _("Security chief")
    DISPATCHER = "dispatcher", _("Dispatcher")
    SSO = "sso", _("School Safety Officer")
    SAFETY_ADMINISTRATOR = "safety_administrator", _("Safety Administrator")
    PRINCIPAL = "principal", _("Principal")
    MENTAL_HEALTH_PRACTITIONER = "mental_health_practitioner", _("Mental health practitioner")
    COUNSELOR = "counselor", _("Counselor")
    SECURITY_MONITOR = "security_monitor", _("Security monitor")
    COURT_LIAISON = "court_liaison", _("Court liaison")
    VIOLENCE_PREVENTION_SPECIALIST = (
        "violence_prevention_specialist",
        _("Violence prevention specialist"),
    )
    TRAINING_COORDINATOR = "training_coordinator", _("Training coordinator")
    COMMUNITY_MONITOR = "community_monitor", _("Community monitor")


class AssignmentTarget(models.TextChoices):
    SCHOOL = "school", _("School")
    ZONE = "zone", _("Zone")


# What a role is assigned to (None: district-wide, no assignment), and how many at once.
ASSIGNMENT_TARGET: dict[Role, AssignmentTarget | None] = {
    Role.SECURITY_CHIEF: None,
    Role.DISPATCHER: None,
    Role.SSO: AssignmentTarget.ZONE,
    Role.SAFETY_ADMINISTRATOR: AssignmentTarget.SCHOOL,
    Role.PRINCIPAL: AssignmentTarget.SCHOOL,
    Role.MENTAL_HEALTH_PRACTITIONER: None,
    Role.COUNSELOR: AssignmentTarget.SCHOOL,
    Role.SECURITY_MONITOR: AssignmentTarget.SCHOOL,
    Role.COURT_LIAISON: None,
    Role.VIOLENCE_PREVENTION_SPECIALIST: None,
    Role.TRAINING_COORDINATOR: None,
    Role.COMMUNITY_MONITOR: None,
}
MAX_CONCURRENT_ASSIGNMENTS: dict[Role, int] = {
    Role.SSO: 1,
    Role.PRINCIPAL: 1,
    # An SA covers one or two schools, or a group of elementary schools.
    Role.SAFETY_ADMINISTRATOR: 8,
    Role.COUNSELOR: 2,
    Role.SECURITY_MONITOR: 2,
}


class EmploymentMethod(models.TextChoices):
    """How an SRO is employed, as the annual KRS 158.4414 report asks (docs/kentucky-reports.md)."""

    DISTRICT_POLICE = "district_police", _("Officer of the district's police department")
    SPECIAL_LEO = "special_leo", _("Special law enforcement officer employed by the district")
    OUTSIDE_AGENCY = (
        "outside_agency",
        _("Officer of another agency, under a memorandum of understanding"),
    )


class FundingSource(models.TextChoices):
    """Who pays for an SRO's position, as the annual KRS 158.4414 report asks."""

    DISTRICT = "district", _("District general fund")
    STATE = "state", _("State SRO funds")
    DISTRICT_AND_STATE = "district_and_state", _("District and state SRO funds")
    AGENCY = "agency", _("The employing agency")
    SHARED = "shared", _("Shared between the district and the agency")
    GRANT = "grant", _("Grant")
