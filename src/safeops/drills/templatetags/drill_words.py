"""A drill window's phrase and its reason in the reader's language (`safeops.drills.words`)."""

from __future__ import annotations

from django import template

from safeops.drills.words import drill_type_name, window_phrase, window_reason

register = template.Library()
register.filter("drill_type_name", drill_type_name)
register.filter("window_phrase", window_phrase)
register.filter("window_reason", window_reason)
