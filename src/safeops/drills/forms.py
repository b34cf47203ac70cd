from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safeops.core.i18n import seeded
from safeops.drills.models import DrillType
from safeops.staff.models import Person


class DrillLogForm(forms.Form):
    drill_type = forms.ModelChoiceField(queryset=DrillType.objects.none(), label=_("Drill type"))
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label=_("Date"))
    time = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}), label=_("Time"))
    duration_minutes = forms.IntegerField(min_value=1, max_value=600, label=_("Duration (minutes)"))
    time_to_clear_seconds = forms.IntegerField(
        min_value=0, required=False, label=_("Time to evacuate or secure (seconds)")
    )
    participants = forms.IntegerField(min_value=0, label=_("Participants (students and staff)"))
    observers = forms.CharField(
        max_length=300,
        required=False,
        label=_("Observers"),
        help_text=_("e.g. the zone SSO, the fire department"),
    )
    issues = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Issues")
    )

    def __init__(self, *args: Any, drill_types: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["drill_type"].queryset = drill_types  # type: ignore[attr-defined]
        # A default drill type's name in the reader's language (the school page shows it so).
        self.fields["drill_type"].label_from_instance = lambda t: seeded(t.name)  # type: ignore[attr-defined]


class CorrectiveActionForm(forms.Form):
    description = forms.CharField(max_length=300, required=False, label=_("Corrective action"))
    owner = forms.ModelChoiceField(queryset=Person.objects.none(), required=False, label=_("Owner"))
    due_on = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label=_("Due")
    )

    def __init__(self, *args: Any, owners: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if owners is not None:
            self.fields["owner"].queryset = owners  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("description") and not (data.get("owner") and data.get("due_on")):
            raise forms.ValidationError(_("A corrective action needs an owner and a due date."))
        return data


CorrectiveActionFormSet = forms.formset_factory(CorrectiveActionForm, extra=2, max_num=5)


class CalendarImportForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("CSV: school_year, date, type, note"))
