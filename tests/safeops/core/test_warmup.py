"""A new server process loads what its first requests would before it accepts any."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from safeops import gunicorn_conf
from safeops.core import warmup


@pytest.fixture
def warmers(monkeypatch: pytest.MonkeyPatch) -> list[warmup.Warmer]:
    registered: list[warmup.Warmer] = []
    monkeypatch.setattr(warmup, "_WARMERS", registered)
    return registered


def test_every_registered_warmer_runs_once_after_the_translations(
    warmers: list[warmup.Warmer],
) -> None:
    ran: list[str] = []

    def officers() -> None:
        ran.append("officers")

    def schools() -> None:
        ran.append("schools")

    warmup.register(officers)
    warmup.register(schools)
    warmup.register(officers)  # registered twice, runs once
    done = warmup.warm_process()
    assert ran == ["officers", "schools"]
    assert [name.rsplit(".", 1)[-1] for name in done] == [
        "_load_translations",
        "officers",
        "schools",
    ]


def test_a_failing_warmer_ends_the_warm_up_without_raising(
    warmers: list[warmup.Warmer], caplog: pytest.LogCaptureFixture
) -> None:
    ran: list[str] = []

    def database_down() -> None:
        raise OSError("connection refused")

    warmup.register(database_down)
    warmup.register(lambda: ran.append("after"))
    with caplog.at_level(logging.WARNING, logger="safeops.core.warmup"):
        done = warmup.warm_process()
    assert ran == []  # the rest loads on first use
    assert len(done) == 1
    assert "database_down" in caplog.text and "connection refused" in caplog.text


def test_the_core_app_registers_the_discipline_encoders_warmer() -> None:
    """A server process loads the guard's model before its first request (decision 0024)."""
    from safeops.core import discipline_encoder  # noqa: PLC0415

    assert discipline_encoder.warm in warmup._WARMERS


def test_the_dispatch_app_registers_its_warmer() -> None:
    from safeops.dispatch.warm import warm_dispatch  # noqa: PLC0415

    assert warm_dispatch in warmup._WARMERS


@pytest.mark.parametrize(("setting", "warms"), [(True, True), (False, False)])
def test_a_server_process_warms_up_before_it_accepts_unless_told_not_to(
    monkeypatch: pytest.MonkeyPatch, settings: Any, setting: bool, warms: bool
) -> None:
    calls: list[Any] = []
    monkeypatch.setattr(gunicorn_conf, "_freeze_start_up_objects", lambda: None)
    monkeypatch.setattr(warmup, "warm_process", lambda: calls.append("warm"))
    settings.SERVER_WARMUP = setting  # SERVER_WARMUP=false in the environment (settings.env)
    gunicorn_conf.post_worker_init(None)
    assert calls == (["warm"] if warms else [])
