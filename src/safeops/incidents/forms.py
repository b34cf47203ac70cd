from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safeops.incidents.models import IncidentKind, PersonRole, ReferralTo


class IncidentForm(forms.Form):
    school: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None)
    kind = forms.ChoiceField(choices=IncidentKind.choices, label="Type")
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(max_length=150)
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="What happened")
    actions_taken = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    support_request_id = forms.IntegerField(
        min_value=1, required=False, label="SSO support request number"
    )
    follow_up_on = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Follow up on"
    )
    referrals = forms.MultipleChoiceField(
        choices=ReferralTo.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    # Shown after a discipline refusal: logging it anyway as safety, with the reason recorded.
    safety_reason = forms.CharField(
        max_length=300,
        required=False,
        label=_("Why this is a safety matter"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, schools: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]
        for role, label in PersonRole.choices:
            self.fields[f"people_{role}"] = forms.IntegerField(
                min_value=0, max_value=500, required=False, label=f"{label}s involved"
            )

    def people_fields(self) -> list[Any]:
        return [self[f"people_{role}"] for role in PersonRole.values]
