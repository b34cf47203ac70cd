"""The ASGI lifespan of a server process: with `safeops serve`, it runs the background jobs.

`safeops serve` (development, `make run`) sets `SAFEOPS_SERVE_JOBS=1` unless `--no-worker`:
each server process then runs a `core.jobs.Worker` for as long as it serves, on a thread of its
event loop (asgiref's `sync_to_async`). A job's live update is sent through the loop like a
view's, so it reaches this process's WebSocket clients without Redis. Claims keep several
processes from running one job twice. Production runs `safeops worker` as its own service and
leaves the variable unset.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from asgiref.sync import sync_to_async

from safeops.core.jobs import Worker

SERVE_JOBS_VARIABLE = "SAFEOPS_SERVE_JOBS"


def serve_jobs() -> bool:
    return os.environ.get(SERVE_JOBS_VARIABLE) == "1"


async def lifespan(scope: dict[str, Any], receive: Any, send: Any) -> None:
    worker: Worker | None = None
    running: asyncio.Future[None] | None = None
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            if serve_jobs():
                worker = Worker()
                running = asyncio.ensure_future(
                    sync_to_async(worker.run_forever, thread_sensitive=False)()
                )
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            if worker is not None and running is not None:
                worker.stop()  # after the job in hand
                await running
            await send({"type": "lifespan.shutdown.complete"})
            return
