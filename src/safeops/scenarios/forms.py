from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safeops.schools.choices import SchoolLevel


class ScenarioForm(forms.Form):
    name = forms.CharField(max_length=100, label=_("Name"))
    officers = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=2000,
        label=_("Officers"),
        help_text=_("A fixed number of officers…"),
    )
    target_minutes = forms.FloatField(
        required=False,
        min_value=1,
        max_value=120,
        label=_("Target minutes"),
        help_text=_("…or the smallest number reaching this response time"),
    )
    percentile = forms.FloatField(
        initial=90,
        min_value=50,
        max_value=99,
        label=_("Percentile"),
        help_text=_("for this percentage of calls"),
    )
    min_size = forms.IntegerField(
        initial=3, min_value=1, max_value=50, label=_("Fewest schools per zone")
    )
    max_size = forms.IntegerField(
        initial=7, min_value=1, max_value=50, label=_("Most schools per zone")
    )
    dedicated_levels = forms.MultipleChoiceField(
        choices=SchoolLevel.choices,
        required=False,
        initial=[SchoolLevel.ALTERNATIVE],
        widget=forms.CheckboxSelectMultiple,
        label=_("Levels with their own officer"),
    )
    aligned = forms.BooleanField(
        required=False, initial=True, label=_("Zones follow high-school areas")
    )
    equity = forms.FloatField(
        required=False,
        initial=0,
        min_value=0,
        max_value=1,
        label=_("Weight of schools against calls"),
        help_text=_(
            "0 places officers where the calls are; 1 counts every school the same, so quiet "
            "schools are not left far away; in between, a blend."
        ),
    )
    equity_curve = forms.BooleanField(
        required=False,
        label=_("Also compare the average call with the worst-served school (five plans)"),
    )
    seed = forms.IntegerField(initial=0, min_value=0, max_value=2**31 - 1, label=_("Seed"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("equity") is None:
            data["equity"] = 0.0
        if (data.get("officers") is None) == (data.get("target_minutes") is None):
            raise forms.ValidationError(_("Give either an officer count or a response target."))
        if data.get("min_size") and data.get("max_size") and data["min_size"] > data["max_size"]:
            self.add_error("min_size", _("The smallest zone size must not exceed the largest."))
        return data


class AdoptForm(forms.Form):
    effective_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))


class PlanningCostsForm(forms.Form):
    officer = forms.IntegerField(
        min_value=0, max_value=10_000_000, label=_("One sworn officer, dollars a year")
    )
    vehicle = forms.IntegerField(
        min_value=0, max_value=10_000_000, label=_("One patrol vehicle, dollars a year")
    )
    safety_administrator = forms.IntegerField(
        min_value=0, max_value=10_000_000, label=_("One Safety Administrator, dollars a year")
    )
