from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safeops.safetyplans.models import SECTIONS, AttachmentKind


class PlanSectionsForm(forms.Form):
    note = forms.CharField(max_length=200, required=False, label=_("What changed"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in SECTIONS:
            self.fields[key] = forms.CharField(
                label=label, required=False, widget=forms.Textarea(attrs={"rows": 4})
            )


class PlanCreateForm(forms.Form):
    school: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label=_("School"))
    school_year: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, label=_("School year")
    )

    def __init__(self, *args: Any, schools: Any, years: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]
        self.fields["school_year"].queryset = years  # type: ignore[attr-defined]


class SharedForm(forms.Form):
    on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label=_("Shared on"))
    shared_with = forms.CharField(
        max_length=300, label=_("Shared with"), help_text=_("e.g. Fire district 4, LMPD, EMS")
    )


class BriefingForm(forms.Form):
    at = forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), label=_("Date and time")
    )
    attendance = forms.IntegerField(min_value=0, label=_("Staff attending"))
    notes = forms.CharField(max_length=300, required=False, label=_("Notes"))


class ReviewForm(forms.Form):
    on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label=_("Review held on"))
    participants = forms.CharField(
        max_length=300,
        label=_("Participants"),
        help_text=_("Nurse, council, principal, first responders"),
    )


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(choices=AttachmentKind.choices, label=_("Kind"))
    title = forms.CharField(max_length=150, required=False, label=_("Title"))
    file = forms.FileField(help_text=_("PDF, PNG or JPEG"), label=_("File"))


class ReturnForm(forms.Form):
    note = forms.CharField(max_length=300, label=_("What to change"))
