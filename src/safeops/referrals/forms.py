"""Forms of the referral pages (parsing only; the services decide)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safeops.core.discipline import SUPPORT_REASON_LABEL, safety_reason_field
from safeops.referrals.choices import (
    ConsentGivenBy,
    ConsentScope,
    ContactMethod,
    Grade,
    Outcome,
)


class ReferralForm(forms.Form):
    school: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, label=_("Student's school")
    )
    service: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label=_("Service"))
    student_number = forms.CharField(max_length=20, required=False, label=_("Student number"))
    student_initials = forms.CharField(
        max_length=3,
        required=False,
        label=_("Student initials"),
        help_text=_("2 or 3 letters, if you do not give the number."),
    )
    grade = forms.ChoiceField(choices=Grade.choices, label=_("Grade"))
    consent_given_by = forms.ChoiceField(
        choices=ConsentGivenBy.choices, label=_("Consent given by")
    )
    consent_given_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), label=_("Consent given on")
    )
    consent_scope = forms.ChoiceField(
        choices=ConsentScope.choices, widget=forms.RadioSelect, label=_("Consent covers")
    )
    handoff_note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label=_("Warm hand-off note"),
        help_text=_("What the provider needs to reach and help the family. No discipline matters."),
    )
    # Shown only after the guard refused the note (the page's `may_override`).
    support_reason = safety_reason_field(SUPPORT_REASON_LABEL)
    support_request_id = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)
    incident_id = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)
    plan_task_id = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, schools: Any, services: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]
        self.fields["service"].queryset = services  # type: ignore[attr-defined]
        self.fields["consent_given_on"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("student_number") and not data.get("student_initials"):
            self.add_error(
                "student_number", _("Give the student number or the student's initials.")
            )
        return data


class TransitionForm(forms.Form):
    to_status = forms.CharField(max_length=20)
    outcome = forms.ChoiceField(choices=[("", "—"), *Outcome.choices], required=False)
    note = forms.CharField(max_length=300, required=False)


class ContactForm(forms.Form):
    service: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label=_("Service"))
    contacted_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), label=_("Contacted on")
    )
    method = forms.ChoiceField(choices=ContactMethod.choices, label=_("How"))
    note = forms.CharField(max_length=300, required=False, label=_("Note"))

    def __init__(self, *args: Any, services: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services  # type: ignore[attr-defined]
        self.fields["contacted_on"].initial = timezone.localdate()
