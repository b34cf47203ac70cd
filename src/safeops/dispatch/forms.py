"""Web forms of dispatch: the requester's three-field form, clearing and filters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safeops.core.discipline import safety_reason_field
from safeops.dispatch.choices import Category, Priority
from safeops.schools.models import School

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

OTHER_PLACE = "other"


class RequestForm(forms.Form):
    """Category, priority and a short summary; the place defaults to the requester's school."""

    category = forms.ChoiceField(choices=[("", _("What is happening?")), *Category.choices])
    priority = forms.ChoiceField(
        choices=[("", _("Priority (suggested from the category)")), *Priority.choices],
        required=False,
    )
    summary = forms.CharField(
        max_length=280,
        widget=forms.TextInput(attrs={"placeholder": _("Short summary: who, where, what")}),
    )
    place = forms.ChoiceField(required=False, label=_("Where"))
    location_description = forms.CharField(
        max_length=200, required=False, label=_("Describe the place (e.g. the bus stop)")
    )
    latitude = forms.FloatField(required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(required=False, min_value=-180, max_value=180)
    client_key = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)
    # Shown after a discipline refusal: filing it anyway as safety, with the reason recorded.
    safety_reason = safety_reason_field()

    def __init__(self, *args: Any, schools: list[School], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.schools = {str(s.pk): s for s in schools}
        choices: list[tuple[str, StrOrPromise]] = [(str(s.pk), s.name) for s in schools]
        choices.append((OTHER_PLACE, _("Another place (bus stop, field…)")))
        place = self.fields["place"]
        assert isinstance(place, forms.ChoiceField)  # noqa: S101 - declared above
        place.choices = choices
        if schools:
            self.fields["place"].initial = str(schools[0].pk)
        self.fields["latitude"].widget = forms.HiddenInput()
        self.fields["longitude"].widget = forms.HiddenInput()

    def school(self) -> School | None:
        return self.schools.get(self.cleaned_data.get("place") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        place = data.get("place") or ""
        if not self.schools and place != OTHER_PLACE:
            data["place"] = OTHER_PLACE
        if data.get("place") == OTHER_PLACE and not data.get("location_description"):
            self.add_error("location_description", _("Describe the place."))
        return data


def prefill(query: Mapping[str, str]) -> dict[str, str]:
    """Initial values from a link such as `?school=12&category=threat_to_harm&priority=p1`
    (e.g. a tip alert's): only known values are taken, the rest is ignored."""
    initial: dict[str, str] = {}
    if query.get("category") in Category.values:
        initial["category"] = query["category"]
    if query.get("priority") in Priority.values:
        initial["priority"] = query["priority"]
    if (query.get("school") or "").isdigit():
        initial["place"] = query["school"]
    return initial


class HistoryForm(forms.Form):
    school = forms.IntegerField(required=False)
    zone = forms.IntegerField(required=False)
    officer = forms.IntegerField(required=False)
    category = forms.ChoiceField(
        choices=[("", _("Any category")), *Category.choices], required=False
    )
    priority = forms.ChoiceField(
        choices=[("", _("Any priority")), *Priority.choices], required=False
    )
    date_from = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
