"""Several server processes on one port: each listens on its own socket, a dead one is replaced."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import threading
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from safeops.core.serving import (
    PortInUse,
    ProcessGroup,
    ServerOptions,
    check_port_free,
    reuse_port_supported,
)

pytestmark = pytest.mark.skipif(not reuse_port_supported(), reason="needs SO_REUSEPORT")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _pid_of_new_connection(port: int) -> int | None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", "/")
        return int(conn.getresponse().read())
    except OSError:
        return None
    finally:
        conn.close()


def _pids(port: int, connections: int) -> set[int]:
    return {pid for _ in range(connections) if (pid := _pid_of_new_connection(port))}


def _wait_for(condition: object, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.2)


def _options(app: str) -> ServerOptions:
    return ServerOptions(
        app=app,
        host="127.0.0.1",
        port=_free_port(),
        uvicorn_kwargs=(("log_level", "warning"), ("access_log", False)),
    )


@pytest.fixture
def group() -> ProcessGroup:
    processes = ProcessGroup(count=2, options=_options("tests.safeops.core.asgi_pid:app"))
    processes.start()
    watcher = threading.Thread(target=processes.watch, kwargs={"poll_seconds": 0.2})
    watcher.start()
    yield processes
    processes.stop()
    watcher.join(timeout=15)


def test_connections_are_spread_over_every_process(group: ProcessGroup) -> None:
    port = group.options.port
    children = {p.pid for p in group.processes}
    _wait_for(lambda: _pids(port, 40) == children)  # both answer once both have started
    # Each process listens on its own socket and the kernel hands each a share of new
    # connections (all 40 on one of the two: a chance of 2 in 10^12).
    assert _pids(port, 40) == children


def test_a_process_that_dies_is_replaced(group: ProcessGroup) -> None:
    port = group.options.port
    victim = group.processes[0].pid
    assert victim is not None
    _wait_for(lambda: _pids(port, 20) == {p.pid for p in group.processes})
    os.kill(victim, signal.SIGKILL)
    _wait_for(lambda: group.restarts == 1)
    replacement = {p.pid for p in group.processes}
    assert victim not in replacement and len(replacement) == 2
    _wait_for(lambda: _pids(port, 40) == replacement)


def test_a_port_held_by_another_program_is_reported() -> None:
    with socket.socket() as other:  # an ordinary listener, not in our SO_REUSEPORT group
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        with pytest.raises(PortInUse, match=f"127.0.0.1:{port} is in use"):
            check_port_free("127.0.0.1", port)
    check_port_free("127.0.0.1", _free_port())


def test_serve_with_several_workers_names_a_port_in_use() -> None:
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        with pytest.raises(CommandError, match="is in use"):
            call_command("serve", "--workers", "2", "--port", str(port), "--no-worker")


def test_a_process_listens_only_once_its_app_is_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded_file = tmp_path / "loaded"
    monkeypatch.setenv("SAFEOPS_TEST_LOADED_FILE", str(loaded_file))
    options = _options("tests.safeops.core.asgi_slow:app")
    port = options.port
    processes = ProcessGroup(count=1, options=options)
    processes.start()
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                first_accepted = time.time()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError("the server never listened") from None
                time.sleep(0.02)
        # A connection the kernel queued before the import ended would wait it out.
        assert first_accepted >= float(loaded_file.read_text())
    finally:
        processes.stop()
