from __future__ import annotations

from typing import Any, ClassVar, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from safeops.core.notify.models import ChannelPreference


class ChannelPreferenceForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ChannelPreference
        fields: ClassVar = [
            *("phone", "push", "sms", "voice", "email", "quiet_from", "quiet_until", "language"),
        ]
        labels: ClassVar = {
            "phone": _("Mobile phone for texts and calls"),
            "push": _("Push notifications to my subscribed browsers"),
            "sms": _("Text messages"),
            "voice": _("Voice calls"),
            "email": _("E-mail"),
            "quiet_from": _("Quiet hours from"),
            "quiet_until": _("Quiet hours until"),
            "language": _("Language of my alerts"),
        }
        help_texts: ClassVar = {
            "phone": _("International form, e.g. +15025550123."),
            "quiet_until": _("In quiet hours only P1 emergencies reach you."),
            "language": _("Push notifications, texts, calls and e-mail."),
        }
        widgets: ClassVar = {
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "quiet_from": forms.TimeInput(attrs={"type": "time"}),
            "quiet_until": forms.TimeInput(attrs={"type": "time"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["language"]).choices = [
            ("", _("The site's language")),
            *settings.LANGUAGES,
        ]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if (data.get("quiet_from") is None) != (data.get("quiet_until") is None):
            raise forms.ValidationError(_("Give both ends of the quiet hours, or neither."))
        return data
