from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from safeops.fleet.models import ChecklistItem
from safeops.fleet.services import Answer

DATE = forms.DateInput(attrs={"type": "date"})
CHOOSE = _("Choose OK or Problem.")


class InspectionForm(forms.Form):
    """Mileage, notes, and per checklist item an OK/Problem choice and a remark."""

    mileage = forms.IntegerField(
        label=_("Odometer (miles)"),
        min_value=0,
        max_value=2_000_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, items: QuerySet[ChecklistItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"item_{item.pk}"] = forms.ChoiceField(
                label=item.label,
                choices=[("ok", _("OK")), ("problem", _("Problem"))],
                widget=forms.RadioSelect,
                error_messages={"required": CHOOSE},
            )
            self.fields[f"remark_{item.pk}"] = forms.CharField(
                label=_("What is wrong?"), required=False, max_length=200
            )

    def rows(self) -> list[tuple[ChecklistItem, Any, Any]]:
        return [(i, self[f"item_{i.pk}"], self[f"remark_{i.pk}"]) for i in self.items]

    def answers(self) -> dict[int, Answer]:
        data = self.cleaned_data
        return {
            item.pk: Answer(ok=data[f"item_{item.pk}"] == "ok", remark=data[f"remark_{item.pk}"])
            for item in self.items
        }


class TaskCloseForm(forms.Form):
    resolution = forms.CharField(label=_("What was done"), max_length=300)


class OutOfServiceForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class EquipmentCheckForm(forms.Form):
    ok = forms.ChoiceField(
        label=_("Result"),
        choices=[("ok", _("Works")), ("problem", _("Problem"))],
        widget=forms.RadioSelect,
    )
    expires_on = forms.DateField(
        label=_("New expiry date"),
        required=False,
        widget=DATE,
        help_text=_("Replaced naloxone or AED pads."),
    )
    remark = forms.CharField(label=_("Remark"), required=False, max_length=200)


class VehicleForm(forms.Form):
    unit_number = forms.CharField(label=_("Unit number"), max_length=20)
    description = forms.CharField(label=_("Make and model"), max_length=80, required=False)
    plate = forms.CharField(label=_("Plate"), max_length=20, required=False)
    odometer = forms.IntegerField(label=_("Odometer (miles)"), min_value=0, max_value=2_000_000)
