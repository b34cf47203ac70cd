"""Forms of the after-the-call pages (parsing only; the services decide)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safeops.ssoreports.choices import ConsentGivenBy

WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ReportForm(forms.Form):
    narrative = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        label=_("What happened"),
        help_text=_("Facts of the call. No student discipline: that is the school's."),
    )
    outside_agency = forms.CharField(
        max_length=120, required=False, label=_("Outside agency (police, EMS, fire)")
    )
    case_number = forms.CharField(max_length=40, required=False, label=_("Agency case number"))
    call_911_at = forms.DateTimeField(required=False, widget=WHEN, label=_("911 called at"))
    agency_on_scene_at = forms.DateTimeField(
        required=False, widget=WHEN, label=_("Outside agency on scene at")
    )
    handed_off_at = forms.DateTimeField(
        required=False, widget=WHEN, label=_("Scene handed to the agency at")
    )
    weapon_involved = forms.BooleanField(required=False, label=_("A weapon was involved"))


class CourtNoticeForm(forms.Form):
    consent_given_by = forms.ChoiceField(
        choices=ConsentGivenBy.choices, label=_("Consent to notify the court liaison given by")
    )
    consent_given_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), label=_("Consent given on")
    )
    consent_confirmed = forms.BooleanField(
        required=True,
        label=_("I confirm this consent was given and recorded."),
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=500,
        label=_("Note for the court liaison"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent_given_on"].initial = timezone.localdate()
