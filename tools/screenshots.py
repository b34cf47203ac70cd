"""Take the README's screenshots: the SA's home, the live board and the officer's phone page at
390 × 844, from a fresh demo district served the way `make run` serves it.

    .venv/bin/python tools/screenshots.py [--out docs/screens]

Uses a throw-away SQLite database in a temporary folder, seeds the demo district, starts the
server, files one priority-1 request at the SA's school and assigns it to the demo officer (so
the officer's card and the board have something live), then logs in as each demo user in
Debian's Chromium.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
SAFEOPS = Path(sys.executable).with_name("safeops")
PHONE = {"width": 390, "height": 844}
DEMO_PASSWORD = "safeops-demo"  # noqa: S105 - safeops.demo.services prints it with `make run`
FILE_A_CALL = """
from safeops.accounts.models import User
from safeops.dispatch.services import request_assign, request_create
from safeops.staff.models import Person
sa = User.objects.get(username="demo-sa")
school = sa.person.assignments.filter(school__isnull=False).first().school
created = request_create(actor=sa, school=school, category="fight_assault", priority="p1",
    summary="Two students fighting by the gym doors")
officer = Person.objects.get(user__username="demo-sso")
request_assign(request_id=created.request.pk, officer_id=officer.pk,
    actor=User.objects.get(username="demo-dispatcher"))
"""
# The officer first: the call is filed just before, so its acknowledgement timer (60 s) has
# not yet offered it to another officer.
SHOTS = (
    ("demo-sso", "/dispatch/officer/", "officer-phone.png"),
    ("demo-dispatcher", "/dispatch/board/", "board-phone.png"),
    ("demo-sa", "/", "sa-home-phone.png"),
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_up(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2):  # noqa: S310 - loopback
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the server did not start in 120 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screens")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ)
        env.update(
            DEBUG="true", DATABASE_URL=f"sqlite:///{tmp}/screens.sqlite3", LOG_LEVEL="WARNING"
        )
        env.pop("REDIS_URL", None)
        for command in (["migrate", "--noinput", "-v0"], ["seed-demo", "--schools", "60"]):
            subprocess.run([str(SAFEOPS), *command], env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(  # noqa: S603 - our own console script
            [str(SAFEOPS), "serve", "--port", str(port), "--workers", "1"],
            env=env,
            stdout=subprocess.DEVNULL,
        )
        try:
            _wait_up(base, server)
            subprocess.run([str(SAFEOPS), "shell", "-c", FILE_A_CALL], env=env, check=True)  # noqa: S603
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path="/usr/bin/chromium",
                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
                )
                for username, path, name in SHOTS:
                    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
                    page = context.new_page()
                    page.goto(f"{base}/accounts/login/")
                    page.locator("#id_username").fill(username)
                    page.locator("#id_password").fill(DEMO_PASSWORD)
                    page.locator("form button[type=submit], form button").last.click()
                    page.wait_for_load_state("networkidle")
                    page.goto(f"{base}{path}", wait_until="networkidle")
                    page.wait_for_timeout(800)  # live updates and the map settle
                    page.screenshot(path=str(args.out / name))
                    print(f"wrote {args.out / name}")
                    context.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
