"""A school with an address, a requester with a phone, and a safety plan with a floor plan."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from safeops.core.services import model_update
from safeops.safetyplans.models import PlanAttachment, SafetyPlan
from safeops.safetyplans.services import attachment_add, plan_create
from safeops.schools.models import School
from safeops.staff.choices import Role
from tests.safeops.dispatch.conftest import DispatchScenario
from tests.safeops.drills.helpers import kentucky_year
from tests.safeops.images import png_bytes

ADDRESS = "4409 Preston Hwy, Louisville, KY 40213"
SA_PHONE = "502-555-0142"
PRINCIPAL_PHONE = "502-555-0199"


def furnish(d: DispatchScenario) -> tuple[SafetyPlan, PlanAttachment]:
    s = d.s
    School.objects.filter(pk=s.school_a.pk).update(address=ADDRESS)
    s.people[Role.SAFETY_ADMINISTRATOR].phone = SA_PHONE
    s.people[Role.SAFETY_ADMINISTRATOR].save()
    s.people[Role.PRINCIPAL].phone = PRINCIPAL_PHONE
    s.people[Role.PRINCIPAL].save()
    sa = s.users[Role.SAFETY_ADMINISTRATOR]
    year = kentucky_year(s.district, start_year=2026)
    plan = plan_create(school=s.school_a, school_year=year, actor=sa)  # type: ignore[arg-type]
    plan = model_update(instance=plan, actor=sa, data={"shared_with": "Metro Police, Fire, EMS"})
    image = SimpleUploadedFile("floor.png", png_bytes(), content_type="image/png")
    floor = attachment_add(
        plan=plan,
        kind="floor_plan",
        title="First floor",
        upload=image,
        actor=sa,  # type: ignore[arg-type]
    )
    return plan, floor
