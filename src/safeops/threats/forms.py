from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from safeops.core.demographics import DisabilityStatus, RaceEthnicity
from safeops.core.discipline import safety_reason_field
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
    safety_reason = safety_reason_field()

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
    school: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label=_("School"))
    source = forms.ChoiceField(choices=CaseSource.choices, label=_("Source"))
    tip_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    incident_id = forms.IntegerField(required=False, min_value=1, label=_("Incident number"))
    subject = forms.CharField(max_length=12, label=_("Student number or initials"))
    grade = forms.CharField(max_length=4, required=False, label=_("Grade"))
    concern = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label=_("Concerning behavior or statement (words heard)"),
    )
    disability_status = forms.ChoiceField(
        choices=DisabilityStatus.choices,
        required=False,
        initial=DisabilityStatus.NOT_REPORTED,
        label=_("Disability status"),
    )
    race_ethnicity = forms.ChoiceField(
        choices=RaceEthnicity.choices,
        required=False,
        initial=RaceEthnicity.NOT_REPORTED,
        label=_("Race or ethnicity"),
    )

    # Shown after a discipline refusal: opening it anyway as a safety matter.
    safety_reason = safety_reason_field()

    def __init__(self, *args: Any, schools: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]


class RecordForm(forms.Form):
    kind = forms.ChoiceField(choices=RecordKind.choices, label=_("Record"))
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Text"))


class MoveForm(forms.Form):
    to = forms.ChoiceField(choices=Stage.choices, label=_("Move to"))
    reason = forms.CharField(max_length=500, required=False, label=_("Reason (closing)"))
    follow_up_every_days = forms.IntegerField(
        required=False, min_value=1, max_value=180, label=_("Follow up every (days)")
    )
    override_reason = forms.CharField(
        max_length=500, required=False, label=_("Lead override reason (open tasks)")
    )


class TaskForm(forms.Form):
    title = forms.CharField(max_length=150, label=_("Task"))
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label=_("Owner"))
    due_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label=_("Due"))
    details = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Details")
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people  # type: ignore[attr-defined]


class ConsultForm(forms.Form):
    officer: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Share with SSO (optional)")
    )
    consulted_with = forms.CharField(max_length=150, required=False, label=_("Consulted with"))
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Why"))

    def __init__(self, *args: Any, officers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers  # type: ignore[attr-defined]


class FollowUpForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Follow-up note"))


class TriageForm(forms.Form):
    imminent = forms.BooleanField(required=False, label=_("Imminent harm (alerts the dispatcher)"))
    note = forms.CharField(max_length=500, required=False, label=_("Note"))


class QuestionForm(forms.Form):
    question = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Question"))


class TipCloseForm(forms.Form):
    reason = forms.ChoiceField(choices=TipCloseReason.choices, label=_("Reason"))
    note = forms.CharField(max_length=500, required=False, label=_("Note"))


class NoteForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Note"))


class TeamMemberForm(forms.Form):
    school: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label=_("School"))
    person: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label=_("Person"))
    team_role = forms.CharField(max_length=60, required=False, label=_("Role on the team"))

    def __init__(self, *args: Any, schools: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]
        self.fields["person"].queryset = people  # type: ignore[attr-defined]
