"""Signals other apps listen to, so dispatch never imports them (the layers forbid it).

- `request_cleared(request, officer_id, at)`: sent inside the clearing transaction once a
  request is cleared; patrol re-plans the officer's rest of the day from there.
"""

from __future__ import annotations

from django.dispatch import Signal

request_cleared = Signal()
