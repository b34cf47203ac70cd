"""An ASGI app that takes a while to import, and notes when it finished (serving tests)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from tests.safeops.core.asgi_pid import app

time.sleep(1.5)
Path(os.environ["SAFEOPS_TEST_LOADED_FILE"]).write_text(repr(time.time()))

__all__ = ["app"]
