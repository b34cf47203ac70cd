"""Number filters for pages: `{% load numbers %}`."""

from __future__ import annotations

import math

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(share: float | None, places: int = 1) -> str:
    """A share (0.897) as a percentage ("89.7%"), rounded down so a share below a target never
    reads as the target (0.8996 is "89.9%", not "90.0%"). None and NaN read "—"."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "—"
    scale = 10**places
    value = math.floor(float(share) * 100 * scale + 1e-9) / scale
    return f"{number_format(value, decimal_pos=places)}%"
