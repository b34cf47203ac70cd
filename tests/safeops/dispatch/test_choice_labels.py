"""`label_of` gives what `Model.get_FOO_display` gives, in every language, without its cost."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation

from safeops.dispatch.choices import Category, Priority, Status, label_of
from safeops.dispatch.models import SupportRequest

FIELDS = [("category", Category), ("priority", Priority), ("status", Status)]


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
@pytest.mark.parametrize(("field", "choices"), FIELDS)
def test_every_label_is_the_models_display(
    language: str, field: str, choices: type[Category]
) -> None:
    for value in choices.values:
        request = SupportRequest(**{field: value})
        with translation.override(language):
            expected = getattr(request, f"get_{field}_display")()
            assert label_of(choices, value) == expected
            assert isinstance(label_of(choices, value), str)


def test_a_value_that_is_no_choice_is_shown_as_stored() -> None:
    request = SupportRequest(category="retired_category")
    assert label_of(Category, "retired_category") == request.get_category_display()
    assert label_of(Category, "retired_category") == "retired_category"


def test_labels_follow_the_active_language() -> None:
    with translation.override("en"):
        english = label_of(Category, Category.WEAPON)
    with translation.override("es"):
        spanish = label_of(Category, Category.WEAPON)
    assert english != spanish
