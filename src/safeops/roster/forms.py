from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safeops.roster.models import EventKind, LeaveKind
from safeops.staff.models import Person

DATE = forms.DateInput(attrs={"type": "date"})
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
MAX_IMPORT_BYTES = 2_000_000
FILE_TOO_BIG = _("The file is larger than 2 MB.")


def aware(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


def span(day: dt.date, start: dt.time, end: dt.time) -> tuple[dt.datetime, dt.datetime]:
    """Start and end on `day`; an end at or before the start is the next day."""
    end_day = day if end > start else day + dt.timedelta(days=1)
    return aware(day, start), aware(end_day, end)


class _OfficerForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Officer"), queryset=Person.objects.none())

    def __init__(self, *args: Any, officers: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = officers  # type: ignore[attr-defined]


class ShiftForm(_OfficerForm):
    day = forms.DateField(label=_("Date"), widget=DATE)
    start = forms.TimeField(label=_("Start"), widget=TIME)
    end = forms.TimeField(label=_("End"), widget=TIME, help_text=_("Before the start: next day."))
    comment = forms.CharField(label=_("Comment"), max_length=200, required=False)


class LeaveForm(_OfficerForm):
    first_day = forms.DateField(label=_("First day"), widget=DATE)
    last_day = forms.DateField(label=_("Last day"), widget=DATE)
    kind = forms.ChoiceField(label=_("Kind"), choices=LeaveKind.choices)
    comment = forms.CharField(label=_("Comment"), max_length=200, required=False)


class SwapForm(_OfficerForm):
    pass


class ReliefForm(_OfficerForm):
    at = forms.TimeField(label=_("Relief from"), widget=TIME)


class EventForm(forms.Form):
    title = forms.CharField(label=_("Event"), max_length=150)
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    day = forms.DateField(label=_("Date"), widget=DATE)
    start = forms.TimeField(label=_("Start"), widget=TIME)
    end = forms.TimeField(label=_("End"), widget=TIME)
    officers_needed = forms.IntegerField(label=_("Officers needed"), min_value=1, max_value=30)


class AssignForm(_OfficerForm):
    pass


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Shifts file (CSV)"))
    dry_run = forms.BooleanField(label=_("Check only, write nothing"), required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(FILE_TOO_BIG)
        return upload
