from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safeops.core.discipline import safety_reason_field
from safeops.incidents.models import IncidentKind, PersonRole, ReferralTo

# "How many … were involved", one field per role.
PEOPLE_LABELS = {
    PersonRole.STUDENT: _("Students involved"),
    PersonRole.STAFF: _("Staff members involved"),
    PersonRole.PARENT: _("Parents or guardians involved"),
    PersonRole.VISITOR: _("Visitors involved"),
    PersonRole.OFFICER: _("Officers (SSO or police) involved"),
    PersonRole.OTHER: _("Others involved"),
}


class IncidentForm(forms.Form):
    school: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label=_("School"))
    kind = forms.ChoiceField(choices=IncidentKind.choices, label=_("Type"))
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label=_("Date"))
    time = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}), label=_("Time"))
    place = forms.CharField(max_length=150, label=_("Place"))
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("What happened"))
    actions_taken = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label=_("Actions taken")
    )
    support_request_id = forms.IntegerField(
        min_value=1, required=False, label=_("SSO support request number")
    )
    follow_up_on = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label=_("Follow up on")
    )
    referrals = forms.MultipleChoiceField(
        choices=ReferralTo.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Referrals"),
    )
    # Shown after a discipline refusal: logging it anyway as safety, with the reason recorded.
    safety_reason = safety_reason_field()

    def __init__(self, *args: Any, schools: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]
        for role in PersonRole.values:
            self.fields[f"people_{role}"] = forms.IntegerField(
                min_value=0, max_value=500, required=False, label=PEOPLE_LABELS[PersonRole(role)]
            )

    def people_fields(self) -> list[Any]:
        return [self[f"people_{role}"] for role in PersonRole.values]
