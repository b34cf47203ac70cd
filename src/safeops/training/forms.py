from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safeops.core.i18n import seeded
from safeops.staff.choices import Role
from safeops.staff.models import Person
from safeops.training.models import (
    CREDIT_CHOICES,
    CertificationType,
    Course,
    DeliveryMode,
    Topic,
)

DATE = forms.DateInput(attrs={"type": "date"})


class SeededChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A topic, course or certification type by its name in the page's language (a default
    the product seeded is translated; a district's own name is shown as written)."""

    def label_from_instance(self, obj: Any) -> str:
        return seeded(str(obj))


class CompletionForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(), required=False, label=_("Person")
    )
    course = SeededChoiceField(
        queryset=Course.objects.none(),
        required=False,
        label=_("Course"),
        help_text=_("Fills topic and hours."),
    )
    topic = SeededChoiceField(queryset=Topic.objects.none(), required=False, label=_("Topic"))
    hours = forms.DecimalField(
        min_value=0.25, max_value=200, decimal_places=2, required=False, label=_("Hours")
    )
    completed_on = forms.DateField(widget=DATE, label=_("Completed on"))
    provider = forms.CharField(max_length=120, required=False, label=_("Provider"))
    counts_for_year = forms.IntegerField(
        required=False,
        min_value=2000,
        max_value=2100,
        label=_("Make-up for training year"),
        help_text=_("Start year of an earlier training year (2025: 2025-26)."),
    )
    certificate = forms.FileField(
        required=False, label=_("Certificate"), help_text=_("PDF, PNG or JPEG.")
    )

    def __init__(self, *args: Any, people: Any, district_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if people is None:
            del self.fields["person"]
            del self.fields["counts_for_year"]
        else:
            self.fields["person"].queryset = people  # type: ignore[attr-defined]
            self.fields["person"].required = True
        self.fields["course"].queryset = Course.objects.filter(  # type: ignore[attr-defined]
            district_id=district_id, active=True
        )
        self.fields["topic"].queryset = Topic.objects.filter(  # type: ignore[attr-defined]
            district_id=district_id, active=True
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        course = data.get("course")
        if course is not None:
            data["topic"] = data.get("topic") or course.topic
            data["hours"] = data.get("hours") or course.hours
        if data.get("topic") is None:
            self.add_error("topic", _("Choose a course or a topic."))
        if data.get("hours") is None:
            self.add_error("hours", _("Give the hours (or choose a course)."))
        return data


class CertificationForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(), required=False, label=_("Person")
    )
    certification_type = SeededChoiceField(
        queryset=CertificationType.objects.none(), label=_("Certification")
    )
    number = forms.CharField(max_length=60, required=False, label=_("Number"))
    issued_on = forms.DateField(widget=DATE, label=_("Issued on"))
    expires_on = forms.DateField(widget=DATE, required=False, label=_("Expires on"))
    certificate = forms.FileField(
        required=False, label=_("Certificate"), help_text=_("PDF, PNG or JPEG.")
    )

    def __init__(self, *args: Any, people: Any, district_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if people is None:
            del self.fields["person"]
        else:
            self.fields["person"].queryset = people  # type: ignore[attr-defined]
            self.fields["person"].required = True
        self.fields["certification_type"].queryset = CertificationType.objects.filter(  # type: ignore[attr-defined]
            district_id=district_id
        )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV: email, completed_on, topic or course (hours, provider, lms_id optional)"),
    )


class UploadForm(forms.Form):
    file = forms.FileField(help_text=_("PDF, PNG or JPEG."), label=_("File"))


class CourseForm(forms.Form):
    code = forms.SlugField(max_length=40, label=_("Code"))
    title = forms.CharField(max_length=150, label=_("Title"))
    topic = SeededChoiceField(queryset=Topic.objects.none(), label=_("Topic"))
    hours = forms.DecimalField(min_value=0.25, max_value=200, decimal_places=2, label=_("Hours"))
    provider = forms.CharField(max_length=120, label=_("Provider"))
    delivery_mode = forms.ChoiceField(choices=DeliveryMode.choices, label=_("Delivery"))

    def __init__(self, *args: Any, district_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.filter(district_id=district_id)  # type: ignore[attr-defined]


class RequirementForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices, label=_("Role"))
    credit = forms.ChoiceField(choices=CREDIT_CHOICES, label=_("Kind of hours"))
    from_year = forms.IntegerField(
        min_value=2000,
        max_value=2100,
        help_text=_("Start year of the first training year."),
        label=_("From training year"),
    )
    name = forms.CharField(max_length=80, label=_("Name"))
    hours = forms.DecimalField(min_value=0, max_value=500, decimal_places=2, label=_("Hours"))
    lapse_when_unmet = forms.BooleanField(required=False, label=_("Unmet hours lapse the person"))


class RequiredTopicForm(forms.Form):
    topic = SeededChoiceField(queryset=Topic.objects.none(), label=_("Topic"))
    min_hours = forms.DecimalField(
        min_value=0, max_value=200, decimal_places=2, initial=0, label=_("Minimum hours")
    )
    due_month = forms.IntegerField(min_value=1, max_value=12, required=False, label=_("Due month"))
    due_day = forms.IntegerField(min_value=1, max_value=28, required=False, label=_("Due day"))

    def __init__(self, *args: Any, district_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.filter(district_id=district_id)  # type: ignore[attr-defined]


class PolicyForm(forms.Form):
    year_start_month = forms.IntegerField(
        min_value=1, max_value=12, label=_("Training year starts in month")
    )
    lapse_grace_days = forms.IntegerField(
        min_value=0, max_value=365, label=_("Days before unmet hours lapse")
    )
    topic_reminder_days = forms.IntegerField(
        min_value=0, max_value=120, label=_("Reminder days before a topic is due")
    )
