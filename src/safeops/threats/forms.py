from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from safeops.core.demographics import DisabilityStatus, RaceEthnicity
from safeops.threats.choices import (
    CaseSource,
    RecordKind,
    Stage,
    TipCloseReason,
    Urgency,
)


class TipForm(forms.Form):
    what = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}), label=_("What did you see or hear?")
    )
    school: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Which school?"),
        empty_label=_("— not a school / not sure —"),
    )
    place = forms.CharField(
        max_length=200, required=False, label=_("Where (if not a school, or more detail)")
    )
    when_text = forms.CharField(max_length=120, required=False, label=_("When"))
    urgency = forms.ChoiceField(
        choices=Urgency.choices, widget=forms.RadioSelect, label=_("How urgent?")
    )

    # Shown after a discipline refusal: sending it anyway as a safety matter.
    safety_reason = forms.CharField(
        max_length=300,
        required=False,
        label=_("Why this is a safety matter"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, schools: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]
        # The browser's hint; the service refuses longer text with the field named.
        self.fields["what"].widget.attrs["maxlength"] = settings.TIP_TEXT_MAX_CHARS


class LookupForm(forms.Form):
    code = forms.CharField(max_length=20, label=_("Tip code"))
    phrase = forms.CharField(max_length=120, label=_("Secret phrase"))


class AnswerForm(LookupForm):
    answer = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Your answer"))


class CaseOpenForm(forms.Form):
    school: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None)
    source = forms.ChoiceField(choices=CaseSource.choices)
    tip_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    incident_id = forms.IntegerField(required=False, min_value=1, label="Incident number")
    subject = forms.CharField(max_length=12, label="Student number or initials")
    grade = forms.CharField(max_length=4, required=False)
    concern = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Concerning behavior or statement (words heard)",
    )
    disability_status = forms.ChoiceField(
        choices=DisabilityStatus.choices, required=False, initial=DisabilityStatus.NOT_REPORTED
    )
    race_ethnicity = forms.ChoiceField(
        choices=RaceEthnicity.choices, required=False, initial=RaceEthnicity.NOT_REPORTED
    )

    # Shown after a discipline refusal: opening it anyway as a safety matter.
    safety_reason = forms.CharField(
        max_length=300,
        required=False,
        label=_("Why this is a safety matter"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, schools: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]


class RecordForm(forms.Form):
    kind = forms.ChoiceField(choices=RecordKind.choices, label="Record")
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Text")


class MoveForm(forms.Form):
    to = forms.ChoiceField(choices=Stage.choices, label="Move to")
    reason = forms.CharField(max_length=500, required=False, label="Reason (closing)")
    follow_up_every_days = forms.IntegerField(
        required=False, min_value=1, max_value=180, label="Follow up every (days)"
    )
    override_reason = forms.CharField(
        max_length=500, required=False, label="Lead override reason (open tasks)"
    )


class TaskForm(forms.Form):
    title = forms.CharField(max_length=150)
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None)
    due_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    details = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people  # type: ignore[attr-defined]


class ConsultForm(forms.Form):
    officer: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, required=False, label="Share with SSO (optional)"
    )
    consulted_with = forms.CharField(max_length=150, required=False, label="Consulted with")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Why")

    def __init__(self, *args: Any, officers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers  # type: ignore[attr-defined]


class FollowUpForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Follow-up note")


class TriageForm(forms.Form):
    imminent = forms.BooleanField(required=False, label="Imminent harm (alerts the dispatcher)")
    note = forms.CharField(max_length=500, required=False)


class QuestionForm(forms.Form):
    question = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


class TipCloseForm(forms.Form):
    reason = forms.ChoiceField(choices=TipCloseReason.choices)
    note = forms.CharField(max_length=500, required=False)


class NoteForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


class TeamMemberForm(forms.Form):
    school: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None)
    person: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None)
    team_role = forms.CharField(max_length=60, required=False, label="Role on the team")

    def __init__(self, *args: Any, schools: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]
        self.fields["person"].queryset = people  # type: ignore[attr-defined]
