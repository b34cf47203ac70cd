"""`codes`: a data dictionary's text with its stored values (snake_case words) set as code."""

from __future__ import annotations

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_CODE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


@register.filter
def codes(text: str) -> SafeString:
    """Escape `text`, then wrap each snake_case value (e.g. built_on_suppressed) in <code>."""
    return mark_safe(_CODE.sub(lambda m: f"<code>{m.group(0)}</code>", conditional_escape(text)))  # noqa: S308 - escaped first
