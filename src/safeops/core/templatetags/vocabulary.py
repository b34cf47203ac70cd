"""`{{ value|vocabulary }}`: a word the product seeded into the database (a default drill type,
a checklist item, a plan section) in the reader's language.

The seeding module marks each default with `gettext_noop`, so it is in the catalog; a value a
district typed itself has no entry and is shown as it was typed."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def vocabulary(text: object) -> str:
    value = "" if text is None else str(text)
    return gettext(value) if value else value
