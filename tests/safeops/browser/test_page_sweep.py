"""Every page of every demo role at 390 × 844, and each role's home at 1366 × 900: no sideways
scroll, no serious or critical axe violation, no console error (map tiles, which this machine
cannot fetch, aside).

The desktop differs from the phone only by the site menu (folded behind its button on a phone,
app.css), the same header on every page of a role, so each role's first page (its home) is
opened at the desktop's size: a page that fits 390 px has more room at 1366, and runs the same
scripts. Reading every page at both sizes took the sweep 160 s of a `make test` pass.

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
from typing import Any

import pytest
from django.core.management import call_command

from safeops.accounts.models import User
from safeops.demo.services import demo_logins
from tests.safeops.browser.accessibility import (
    PHONE,
    SIZES,
    axe_violations,
    describe,
    logged_in_context,
)
from tests.safeops.dispatch.conftest import asgi_server as asgi_server  # fixture
from tests.safeops.pages import kind_of, pages_of

pytestmark = pytest.mark.browser

# Requests this machine's closed network refuses: map tiles and their like.
IGNORED_CONSOLE = re.compile(r"tile|ERR_NAME_NOT_RESOLVED|ERR_CONNECTION_REFUSED|net::ERR_")
FAILING_IMPACTS = ("serious", "critical")


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


@pytest.mark.page_crawl
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_every_page_of_every_role_fits_a_phone_and_passes_axe(
    browser: Any, asgi_server: str
) -> None:
    call_command("seed_demo", "--schools", "40", stdout=io.StringIO())
    logins = demo_logins()
    assert logins, "the demo seed made no logins"
    claimed: set[str] = set()
    homes = phone_pages = 0
    findings = Findings()
    for login in logins:
        user = User.objects.get(username=login.username)
        pages = pages_of(user)
        mine = [p for p in pages if p == "/" or kind_of(p) not in claimed]
        claimed.update(kind_of(p) for p in mine)
        homes += bool(mine)
        phone_pages += len(mine)
        for size, viewport in SIZES.items():
            context = logged_in_context(browser, asgi_server, user, viewport=viewport)
            page = context.new_page()
            page.set_default_timeout(15000)
            console: list[str] = []
            page.on("console", lambda m, c=console: m.type == "error" and c.append(m.text))
            for path in mine if viewport == PHONE else mine[:1]:  # the first: the role's home
                page.goto(path, wait_until="load")
                _check(page, f"{login.username} {path} ({size})", findings, console)
            context.close()
    assert phone_pages >= 2 * len(logins)
    # Every page at the phone's size, and each role's first page (its home) at the desktop's.
    assert findings.checked == phone_pages + homes  # each check reads axe too
    assert not findings.problems, (
        f"{len(findings.problems)} of {findings.checked} page checks failed:\n"
        + "\n".join(findings.problems)
    )
