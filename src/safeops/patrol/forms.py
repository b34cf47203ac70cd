"""Forms of the patrol settings pages. Field names are the model's, so a problem the service
finds (`setup.py`) is shown at the field it names."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from safeops.patrol.choices import OverrideKind, PointKind
from safeops.patrol.models import PatrolSettings
from safeops.schools.models import School

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATE = forms.DateInput(attrs={"type": "date"})


def minutes_of(value: dt.time | None) -> int | None:
    return None if value is None else value.hour * 60 + value.minute


def time_of(minutes: int | None) -> dt.time | None:
    return None if minutes is None else dt.time(minutes // 60, minutes % 60)


def show_errors(form: forms.Form, error: ValidationError) -> None:
    """Put the service's problems on the form: at the field they name, else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, problems in error.error_dict.items():
        field = name if name in form.fields else None
        for problem in problems:
            form.add_error(field if name != NON_FIELD_ERRORS else None, problem)


class SettingsForm(forms.Form):
    shift_start = forms.TimeField(label=_("Shift starts"), widget=TIME)
    shift_end = forms.TimeField(label=_("Shift ends"), widget=TIME)
    arrival_before = forms.IntegerField(
        label=_("Arrival window: minutes before the start bell"), min_value=0, max_value=240
    )
    arrival_after = forms.IntegerField(
        label=_("Arrival window: minutes after the start bell"), min_value=0, max_value=240
    )
    dismissal_before = forms.IntegerField(
        label=_("Dismissal window: minutes before the end bell"), min_value=0, max_value=240
    )
    dismissal_after = forms.IntegerField(
        label=_("Dismissal window: minutes after the end bell"), min_value=0, max_value=240
    )
    geofence_m = forms.IntegerField(
        label=_("Check-in geofence (metres)"), min_value=10, max_value=5000
    )
    weekly_visits = forms.IntegerField(
        label=_("Visits per school per week"), min_value=0, max_value=20
    )
    high_risk = forms.FloatField(
        label=_("High risk from this weight (covered at dismissal every day)"),
        min_value=1.0,
        max_value=10.0,
    )
    risk_days = forms.IntegerField(
        label=_("Days of requests and incidents counted for risk"), min_value=1, max_value=365
    )
    long_call_minutes = forms.IntegerField(
        label=_("A call this long hands the zone's bell windows to a neighbour (minutes)"),
        min_value=15,
        max_value=24 * 60,
    )
    weekends = forms.BooleanField(label=_("Plan patrols on weekends too"), required=False)

    @classmethod
    def of(cls, rules: PatrolSettings) -> SettingsForm:
        initial = {name: getattr(rules, name) for name in cls.base_fields}
        initial["shift_start"] = time_of(rules.shift_start)
        initial["shift_end"] = time_of(rules.shift_end)
        return cls(initial=initial)

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["shift_start"] = minutes_of(data["shift_start"])
        data["shift_end"] = minutes_of(data["shift_end"])
        return data


class _SchoolForm(forms.Form):
    def __init__(self, *args: Any, schools: QuerySet[School], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]


class BellForm(_SchoolForm):
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none())
    start_minute = forms.TimeField(label=_("Start bell"), widget=TIME)
    end_minute = forms.TimeField(label=_("End bell"), widget=TIME)


class OverrideForm(_SchoolForm):
    day = forms.DateField(label=_("Date"), widget=DATE)
    school = forms.ModelChoiceField(
        label=_("School"),
        queryset=School.objects.none(),
        required=False,
        empty_label=_("The whole district"),
    )
    kind = forms.ChoiceField(label=_("Kind of day"), choices=OverrideKind.choices)
    shift_minutes = forms.IntegerField(
        label=_("Minutes the bell moves"),
        min_value=0,
        max_value=240,
        required=False,
        help_text=_(
            "A late start moves the start bell later, an early release the end bell earlier."
        ),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class PointForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    kind = forms.ChoiceField(label=_("Kind"), choices=PointKind.choices)
    latitude = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180)
    window_start = forms.TimeField(label=_("Window starts"), widget=TIME, required=False)
    window_end = forms.TimeField(label=_("Window ends"), widget=TIME, required=False)
    risk = forms.FloatField(label=_("Risk weight"), min_value=0.1, max_value=10, initial=1.0)
    active = forms.BooleanField(label=_("Patrolled"), required=False, initial=True)

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("name")
        data["window_start"] = minutes_of(data["window_start"])
        data["window_end"] = minutes_of(data["window_end"])
        return data
