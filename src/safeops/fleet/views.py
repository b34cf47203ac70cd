"""Fleet pages: the supervisors' vehicles page, the start-of-shift inspection (phone), the
equipment page."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeops.access import Action, Resource, can_any, viewer_for
from safeops.fleet.forms import (
    EquipmentCheckForm,
    InspectionForm,
    OutOfServiceForm,
    TaskCloseForm,
    VehicleForm,
)
from safeops.fleet.models import Vehicle
from safeops.fleet.selectors import (
    checklist_of,
    equipment_for_user,
    equipment_get_for_user,
    inspections_of,
    my_vehicle,
    officers_of,
    task_get_for_user,
    vehicle_get_for_user,
    vehicles_for_user,
)
from safeops.fleet.services import (
    equipment_check,
    equipment_issue,
    inspection_record,
    task_close,
    vehicle_assign,
    vehicle_create,
    vehicle_out_of_service,
    vehicle_return_to_service,
)
from safeops.schools.models import District
from safeops.staff.models import Person

T = TypeVar("T")

NO_FLEET = gettext_lazy("Your role does not see vehicles.")
NO_EQUIPMENT = gettext_lazy("Your role does not see equipment.")
NOT_MANAGER = gettext_lazy("Only the SSO supervisors and the security chief manage the fleet.")


def _manager(request: HttpRequest) -> bool:
    return can_any(request.user, Action.CHANGE, Resource.VEHICLE)


def _refuse(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_GET
def fleet_view(request: HttpRequest) -> HttpResponse:
    if not _manager(request):
        if can_any(request.user, Action.VIEW, Resource.VEHICLE):
            return redirect("fleet-inspect-mine")
        raise PermissionDenied(NO_FLEET)
    rows = vehicles_for_user(user=request.user, on=timezone.localdate())
    context = {
        "rows": rows,
        "out_of_service": sum(1 for r in rows if r.vehicle.status == "out_of_service"),
        "open_tasks": sum(len(r.open_tasks) for r in rows),
        "vehicle_form": VehicleForm(),
        "officers": officers_of(user=request.user),
    }
    return render(request, "fleet/fleet.html", context)


def _inspect(request: HttpRequest, vehicle: Vehicle | None) -> HttpResponse:
    if vehicle is None:
        return render(request, "fleet/inspect.html", {"vehicle": None})
    form = InspectionForm(request.POST or None, items=checklist_of(district_id=vehicle.district_id))
    if request.method == "POST" and form.is_valid():
        person_id = viewer_for(request.user).person_id
        try:
            inspection = inspection_record(
                vehicle=vehicle,
                person=Person.objects.filter(pk=person_id).first() if person_id else None,
                mileage=form.cleaned_data["mileage"],
                answers=form.answers(),
                notes=form.cleaned_data["notes"],
                actor=request.user,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "mileage" in error.error_dict:
                form.add_error("mileage", error.error_dict["mileage"])
            else:
                form.add_error(None, error.messages)
        else:
            vehicle.refresh_from_db()
            if inspection.passed:
                messages.success(request, _("Inspection recorded: all items OK."))
            elif vehicle.status == "out_of_service":
                messages.warning(
                    request,
                    _("Inspection recorded. The vehicle is OUT OF SERVICE: %(reason)s")
                    % {"reason": vehicle.status_reason},
                )
            else:
                messages.warning(
                    request, _("Inspection recorded; a task was opened for each problem.")
                )
            return redirect(request.path)
    context = {"vehicle": vehicle, "form": form, "recent": inspections_of(vehicle=vehicle, limit=3)}
    return render(request, "fleet/inspect.html", context, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def inspect_mine_view(request: HttpRequest) -> HttpResponse:
    """The officer's start-of-shift inspection of the vehicle assigned to them."""
    if not can_any(request.user, Action.CHANGE, Resource.VEHICLE_RECORD):
        raise PermissionDenied(NO_FLEET)
    return _inspect(request, my_vehicle(user=request.user, on=timezone.localdate()))


@login_required
@require_http_methods(["GET", "POST"])
def inspect_vehicle_view(request: HttpRequest, vehicle_id: int) -> HttpResponse:
    if not _manager(request):
        raise PermissionDenied(NOT_MANAGER)
    return _inspect(request, vehicle_get_for_user(user=request.user, vehicle_id=vehicle_id))


@login_required
@require_POST
def task_close_view(request: HttpRequest, task_id: int) -> HttpResponse:
    if not _manager(request):
        raise PermissionDenied(NOT_MANAGER)
    task = task_get_for_user(user=request.user, task_id=task_id, action=Action.CHANGE)
    form = TaskCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what was done to close the task."))
        return redirect("fleet-home")
    try:
        task_close(task=task, resolution=form.cleaned_data["resolution"], actor=request.user)
    except ValidationError as error:
        _refuse(request, error)
    else:
        messages.success(request, _("Task closed."))
    return redirect("fleet-home")


@login_required
@require_POST
def vehicle_status_view(request: HttpRequest, vehicle_id: int) -> HttpResponse:
    if not _manager(request):
        raise PermissionDenied(NOT_MANAGER)
    vehicle = vehicle_get_for_user(user=request.user, vehicle_id=vehicle_id, action=Action.CHANGE)
    try:
        if request.POST.get("action") == "return":
            vehicle_return_to_service(vehicle=vehicle, actor=request.user)
            messages.success(request, _("%(unit)s is back in service.") % {"unit": vehicle})
        else:
            form = OutOfServiceForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Give the reason the vehicle is out of service."))
                return redirect("fleet-home")
            vehicle_out_of_service(
                vehicle=vehicle, reason=form.cleaned_data["reason"], actor=request.user
            )
            messages.success(request, _("%(unit)s is out of service.") % {"unit": vehicle})
    except ValidationError as error:
        _refuse(request, error)
    return redirect("fleet-home")


@login_required
@require_GET
def equipment_view(request: HttpRequest) -> HttpResponse:
    if not can_any(request.user, Action.VIEW, Resource.EQUIPMENT):
        raise PermissionDenied(NO_EQUIPMENT)
    states = equipment_for_user(user=request.user, on=timezone.localdate())
    manager = _manager(request)
    context = {
        "states": states,
        "lapsed": sum(1 for s in states if s.lapsed),
        "form": EquipmentCheckForm(),
        "may_check": can_any(request.user, Action.CHANGE, Resource.EQUIPMENT),
        "officers": officers_of(user=request.user) if manager else [],
    }
    return render(request, "fleet/equipment.html", context)


@login_required
@require_POST
def equipment_check_view(request: HttpRequest, item_id: int) -> HttpResponse:
    item = equipment_get_for_user(user=request.user, item_id=item_id, action=Action.CHANGE)
    form = EquipmentCheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether it works."))
        return redirect("fleet-equipment")
    data = form.cleaned_data
    return _attempt(
        request,
        lambda: equipment_check(
            item=item,
            ok=data["ok"] == "ok",
            on=timezone.localdate(),
            expires_on=data["expires_on"],
            remark=data["remark"],
            actor=request.user,
        ),
        done=_("Check recorded for %(item)s.") % {"item": item},
        back="fleet-equipment",
    )


@login_required
@require_POST
def equipment_issue_view(request: HttpRequest, item_id: int) -> HttpResponse:
    """Issue an item to an officer, or take it back to stock (no officer chosen)."""
    return _hand_over(
        request,
        back="fleet-equipment",
        get=lambda: equipment_get_for_user(
            user=request.user, item_id=item_id, action=Action.CHANGE
        ),
        write=lambda item, person: equipment_issue(
            item=item, person=person, on=timezone.localdate(), actor=request.user
        ),
    )


@login_required
@require_POST
def vehicle_add_view(request: HttpRequest) -> HttpResponse:
    if not _manager(request):
        raise PermissionDenied(NOT_MANAGER)
    district_id = viewer_for(request.user).district_id
    district = District.objects.filter(pk=district_id).first() if district_id else None
    form = VehicleForm(request.POST)
    if district is None or not form.is_valid():
        messages.error(request, _("Give the unit number and the odometer reading."))
        return redirect("fleet-home")
    return _attempt(
        request,
        lambda: vehicle_create(district=district, actor=request.user, **form.cleaned_data),
        done=_("Vehicle added."),
        back="fleet-home",
    )


@login_required
@require_POST
def vehicle_assign_view(request: HttpRequest, vehicle_id: int) -> HttpResponse:
    """Give the vehicle to an officer from today, or take it back (no officer chosen)."""
    return _hand_over(
        request,
        back="fleet-home",
        get=lambda: vehicle_get_for_user(
            user=request.user, vehicle_id=vehicle_id, action=Action.CHANGE
        ),
        write=lambda vehicle, person: vehicle_assign(
            vehicle=vehicle, person=person, starts_on=timezone.localdate(), actor=request.user
        ),
    )


def _hand_over(
    request: HttpRequest,
    *,
    back: str,
    get: Callable[[], T],
    write: Callable[[T, Person | None], object],
) -> HttpResponse:
    """Give the thing to the officer chosen in the form, or take it back (none chosen)."""
    if not _manager(request):
        raise PermissionDenied(NOT_MANAGER)
    thing = get()
    chosen = request.POST.get("person", "")
    person = officers_of(user=request.user).filter(pk=chosen).first() if chosen.isdigit() else None
    if chosen and person is None:
        messages.error(request, _("Choose an officer of your district."))
        return redirect(back)
    return _attempt(
        request,
        lambda: write(thing, person),
        done=_("%(item)s updated.") % {"item": thing},
        back=back,
    )


def _attempt(
    request: HttpRequest, write: Callable[[], object], *, done: str, back: str
) -> HttpResponse:
    """Write through the service; say what happened; go back to the page."""
    try:
        write()
    except ValidationError as error:
        _refuse(request, error)
    else:
        messages.success(request, done)
    return redirect(back)
