from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safeops.core.i18n import seeded
from safeops.facilities.models import ItemResult, Severity, TemplateItem
from safeops.staff.models import Person


class AuditForm(forms.Form):
    conducted_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), label=_("Conducted on")
    )
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Notes")
    )

    def __init__(self, *args: Any, items: list[TemplateItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"result_{item.pk}"] = forms.ChoiceField(
                label=seeded(item.text),  # a default item in the reader's language
                choices=ItemResult.choices,
                widget=forms.RadioSelect,
                help_text=seeded(item.legal_source),
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                max_length=300, required=False, label=_("Note")
            )

    def results(self) -> dict[int, tuple[str, str]]:
        return {
            item.pk: (self.cleaned_data[f"result_{item.pk}"], self.cleaned_data[f"note_{item.pk}"])
            for item in self.items
        }

    def item_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"result_{item.pk}"], self[f"note_{item.pk}"]) for item in self.items]


class FindingForm(forms.Form):
    severity = forms.ChoiceField(choices=Severity.choices, label=_("Severity"))
    description = forms.CharField(max_length=500, label=_("Description"))


class PhotoForm(forms.Form):
    file = forms.FileField(help_text=_("PNG or JPEG"), label=_("Photo"))


class TaskForm(forms.Form):
    description = forms.CharField(max_length=300, label=_("Description"))
    owner = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("Owner"))
    due_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label=_("Due on"))

    def __init__(self, *args: Any, owners: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if owners is not None:
            self.fields["owner"].queryset = owners  # type: ignore[attr-defined]


class ReinspectForm(forms.Form):
    passed = forms.BooleanField(required=False, label=_("Re-inspection passed"))
    note = forms.CharField(max_length=300, required=False, label=_("Note"))
