from __future__ import annotations

from typing import Any

from django import forms

from safeops.drills.models import DrillType
from safeops.staff.models import Person


class DrillLogForm(forms.Form):
    drill_type = forms.ModelChoiceField(queryset=DrillType.objects.none(), label="Drill type")
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}))
    duration_minutes = forms.IntegerField(min_value=1, max_value=600, label="Duration (minutes)")
    time_to_clear_seconds = forms.IntegerField(
        min_value=0, required=False, label="Time to evacuate or secure (seconds)"
    )
    participants = forms.IntegerField(min_value=0, label="Participants (students and staff)")
    observers = forms.CharField(
        max_length=300, required=False, help_text="e.g. the zone SSO, the fire department"
    )
    issues = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, drill_types: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["drill_type"].queryset = drill_types  # type: ignore[attr-defined]


class CorrectiveActionForm(forms.Form):
    description = forms.CharField(max_length=300, required=False, label="Corrective action")
    owner = forms.ModelChoiceField(queryset=Person.objects.none(), required=False)
    due_on = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Due"
    )

    def __init__(self, *args: Any, owners: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if owners is not None:
            self.fields["owner"].queryset = owners  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("description") and not (data.get("owner") and data.get("due_on")):
            raise forms.ValidationError("A corrective action needs an owner and a due date.")
        return data


CorrectiveActionFormSet = forms.formset_factory(CorrectiveActionForm, extra=2, max_num=5)


class CalendarImportForm(forms.Form):
    file = forms.FileField(help_text="CSV: school_year, date, type, note")
