"""The notification settings, parsed once per call (tests override Django settings)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from safeops.core.notify.models import Channel

Steps = list[tuple[str, int]]


def parse_steps(text: str, *, name: str) -> Steps:
    """`"push:0,sms:30,voice:60"` → [("push", 0), ("sms", 30), ("voice", 60)], in time order."""
    steps: Steps = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        channel, _, seconds = part.partition(":")
        if channel not in Channel.values or not seconds.strip().isdigit():
            raise ImproperlyConfigured(
                f"{name}: {part!r} is not channel:seconds (channels: {', '.join(Channel.values)})."
            )
        steps.append((channel, int(seconds)))
    if [s for _, s in steps] != sorted(s for _, s in steps):
        raise ImproperlyConfigured(f"{name}: the steps must be in time order.")
    return steps


def steps_for(priority: str) -> Steps:
    name = f"NOTIFY_STEPS_{priority.upper()}"
    return parse_steps(str(getattr(settings, name, "in_app:0")), name=name)
