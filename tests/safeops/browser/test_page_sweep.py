"""Every page of every demo role, at 1366 × 900 and 390 × 844: no sideways scroll, no serious or
critical axe violation, no console error (map tiles, which this machine cannot fetch, aside).

The pages are found, not listed: for each demo login the sweep follows the same-site links of
its home and of the pages those lead to (two levels), so a page added later is swept without
editing this file. Each kind of page (its path with numbers replaced) is opened once, by the
first role that reaches it; every role's home is opened by that role. Downloads, the admin, the
API and sign-out are left out. Pages are served by uvicorn (WebSockets included), as in
production. It runs in the SQLite pass only (tools/test-postgres.sh deselects it): layout does
not depend on the database, and the PostgreSQL pass runs every other browser test.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from safeops.accounts.models import User
from safeops.demo.services import demo_logins
from tests.safeops.browser.accessibility import (
    SIZES,
    axe_violations,
    describe,
    logged_in_context,
)
from tests.safeops.dispatch.conftest import asgi_server as asgi_server  # fixture

pytestmark = pytest.mark.browser

DEPTH = 2
LEFT_OUT = re.compile(
    r"^/(admin|api|accounts/logout|i18n|metrics|healthz|readyz|static|media|ws)(/|$)"
    r"|\.(csv|ics|json|pdf|png|svg|js|css|xml)$|/(export|download|feed|calendar\.ics)"
)
# Requests this machine's closed network refuses: map tiles and their like.
IGNORED_CONSOLE = re.compile(r"tile|ERR_NAME_NOT_RESOLVED|ERR_CONNECTION_REFUSED|net::ERR_")
FAILING_IMPACTS = ("serious", "critical")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if href.startswith("/") and not href.startswith("//"):
                self.hrefs.append(href.split("#")[0])


def kind_of(path: str) -> str:
    return re.sub(r"/\d+", "/N", path.split("?")[0])


def _pages_of(user: Any) -> list[str]:
    """Same-site pages `user` reaches from the home page within DEPTH clicks (HTML, 200)."""
    client = Client()
    client.force_login(user)
    seen: dict[str, str] = {}
    frontier = ["/"]
    for _level in range(DEPTH + 1):
        following: list[str] = []
        for path in frontier:
            kind = kind_of(path)
            if kind in seen or LEFT_OUT.search(path.split("?")[0]):
                continue
            response = client.get(path)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            seen[kind] = path
            parser = _Links()
            parser.feed(response.content.decode())
            following.extend(parser.hrefs)
        frontier = following
    return list(seen.values())


@dataclass
class Findings:
    problems: list[str] = field(default_factory=list)
    checked: int = 0


def _check(page: Any, label: str, findings: Findings, console: list[str]) -> None:
    findings.checked += 1
    widths = page.evaluate(
        "() => ({page: document.documentElement.scrollWidth,"
        " window: document.documentElement.clientWidth})"
    )
    if widths["page"] > widths["window"]:
        findings.problems.append(f"{label}: scrolls sideways ({widths['page']} px)")
    bad = [v for v in axe_violations(page) if v.get("impact") in FAILING_IMPACTS]
    if bad:
        findings.problems.append(f"{label}: axe\n{describe(bad)}")
    errors = [text for text in console if not IGNORED_CONSOLE.search(text)]
    if errors:
        findings.problems.append(f"{label}: console errors {errors[:3]}")
    console.clear()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_every_page_of_every_role_fits_a_phone_and_passes_axe(
    browser: Any, asgi_server: str
) -> None:
    call_command("seed_demo", "--schools", "40", stdout=io.StringIO())
    logins = demo_logins()
    assert logins, "the demo seed made no logins"
    claimed: set[str] = set()
    findings = Findings()
    for login in logins:
        user = User.objects.get(username=login.username)
        pages = _pages_of(user)
        mine = [p for p in pages if p == "/" or kind_of(p) not in claimed]
        claimed.update(kind_of(p) for p in mine)
        for size, viewport in SIZES.items():
            context = logged_in_context(browser, asgi_server, user, viewport=viewport)
            page = context.new_page()
            page.set_default_timeout(15000)
            console: list[str] = []
            page.on("console", lambda m, c=console: m.type == "error" and c.append(m.text))
            for path in mine:
                page.goto(path, wait_until="load")
                _check(page, f"{login.username} {path} ({size})", findings, console)
            context.close()
    assert findings.checked >= 2 * len(logins)
    assert not findings.problems, (
        f"{len(findings.problems)} of {findings.checked} page checks failed:\n"
        + "\n".join(findings.problems)
    )
