"""Access tables the access tests share, written out by hand from the district's rules (not
computed from safeops.access, so a change in the rules that was not meant shows in the tests).
"""

from __future__ import annotations

from safeops.staff.choices import Role

ALL, OWN, NONE = "all", "own", "none"

# A school's records (the district model, its safety plans, floor plans, drills and facility
# audits): district-wide roles see all, school- and zone-based roles their own school's, the
# community monitor no individual record.
SCHOOL_RECORDS = {
    Role.SECURITY_CHIEF: ALL,
    Role.DISPATCHER: ALL,
    Role.SSO: OWN,
    Role.SAFETY_ADMINISTRATOR: OWN,
    Role.PRINCIPAL: OWN,
    Role.MENTAL_HEALTH_PRACTITIONER: ALL,
    Role.COUNSELOR: OWN,
    Role.SECURITY_MONITOR: OWN,
    Role.COURT_LIAISON: ALL,
    Role.VIOLENCE_PREVENTION_SPECIALIST: ALL,
    Role.TRAINING_COORDINATOR: ALL,
    Role.COMMUNITY_MONITOR: NONE,
}
