"""Several uvicorn processes on one port, each with its own listening socket (SO_REUSEPORT).

uvicorn's own `--workers` shares one listening socket between its processes, and asyncio
accepts up to a hundred waiting connections per wake-up: the first process to wake takes a
burst of keep-alive connections and keeps them, while the others idle (seen in
bench/dispatch_surge.py: one process served ~70 % of the calls). With SO_REUSEPORT every process
listens on its own socket and the kernel spreads new connections over them by address hash.

`serve_processes` starts the processes (spawned, so no state is shared), restarts one that
dies, and stops them all on SIGINT/SIGTERM. This module does not import Django: a child sets
itself up by importing the ASGI application. Linux (and the BSDs) only; `reuse_port_supported()`
tells, and `safeops serve` falls back to uvicorn's workers elsewhere.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from typing import Any

logger = logging.getLogger(__name__)

BACKLOG = 2048
RESTART_PAUSE_SECONDS = 1.0
STOP_GRACE_SECONDS = 10.0


class PortInUse(Exception):
    """Another program (not one of ours) holds the address."""


def reuse_port_supported() -> bool:
    return hasattr(socket, "SO_REUSEPORT")


def reuse_port_socket(host: str, port: int, *, listen: bool = True) -> socket.socket:
    """A TCP socket bound with SO_REUSEPORT; listening unless `listen` is False."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
        if listen:
            sock.listen(BACKLOG)
    except OSError:
        sock.close()
        raise
    return sock


def check_port_free(host: str, port: int) -> None:
    """Raise PortInUse if the address is held by a socket we could not share it with.

    The probe binds without listening: a listening socket in the group would be handed
    connections that nobody accepts.
    """
    try:
        reuse_port_socket(host, port, listen=False).close()
    except OSError as error:
        raise PortInUse(f"{host}:{port} is in use ({error.strerror}).") from error


@dataclass(frozen=True)
class ServerOptions:
    """What a child passes to uvicorn (picklable: it crosses the process boundary)."""

    app: str
    host: str
    port: int
    uvicorn_kwargs: tuple[tuple[str, Any], ...] = ()


def serve_one(options: ServerOptions) -> None:
    """A child process: the app, then its own socket and one uvicorn server."""
    import uvicorn

    config = uvicorn.Config(options.app, **dict(options.uvicorn_kwargs))
    # Import the app before listening: the kernel hands a listening socket its share of new
    # connections at once, and they would wait out the import (seconds) in its backlog.
    config.load()
    sock = reuse_port_socket(options.host, options.port)
    uvicorn.Server(config).run(sockets=[sock])


class ProcessGroup:
    """N child processes running `target(options)`; a dead child is started again."""

    def __init__(
        self,
        *,
        count: int,
        options: ServerOptions,
        target: Callable[[ServerOptions], None] = serve_one,
    ) -> None:
        if count < 1:
            raise ValueError("count must be at least 1")
        self.count = count
        self.options = options
        self.target = target
        self.processes: list[BaseProcess] = []
        self.restarts = 0
        self._stopping = threading.Event()
        self._context = multiprocessing.get_context("spawn")

    def _start_one(self) -> BaseProcess:
        process = self._context.Process(target=self.target, args=(self.options,), daemon=False)
        process.start()
        return process

    def start(self) -> None:
        self.processes = [self._start_one() for _ in range(self.count)]

    def watch(self, *, poll_seconds: float = 0.5) -> None:
        """Block until stop(): restart any child that exited."""
        while not self._stopping.wait(poll_seconds):
            for i, process in enumerate(self.processes):
                if process.is_alive() or self._stopping.is_set():
                    continue
                logger.warning(
                    "Server process %s exited with %s; starting another",
                    process.pid,
                    process.exitcode,
                )
                time.sleep(RESTART_PAUSE_SECONDS)  # a child failing at start-up does not spin
                self.processes[i] = self._start_one()
                self.restarts += 1

    def request_stop(self) -> None:
        """End watch() (safe from a signal handler)."""
        self._stopping.set()

    def stop(self) -> None:
        """Ask every child to finish (SIGTERM: uvicorn drains), then kill the stragglers."""
        self._stopping.set()
        for process in self.processes:
            if process.is_alive():
                process.terminate()
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for process in self.processes:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join()


def serve_processes(*, count: int, options: ServerOptions) -> None:
    """Run `count` server processes until SIGINT or SIGTERM."""
    check_port_free(options.host, options.port)
    group = ProcessGroup(count=count, options=options)

    def on_signal(_signum: int, _frame: Any) -> None:
        group.request_stop()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        group.start()
        group.watch()
    finally:
        group.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
