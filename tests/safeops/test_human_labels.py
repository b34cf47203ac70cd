"""Human labels everywhere: every page of every demo role reads as words. No login name where a
person's name belongs ("demo-sa"), no raw code ("on_track"), no weekday codes ("MO,TU,WE"), no
HSDS UUID, and no "Admin" in the menu of the field roles (SSO, SA, principal)."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from safeops.accounts.models import User
from safeops.demo.services import demo_logins
from safeops.staff.choices import Role
from tests.safeops.pages import crawl, kind_of, text_nodes

CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")  # on_track, due_soon, safety_administrator
WEEKDAY_CODES = re.compile(r"\b(?:MO|TU|WE|TH|FR|SA|SU)(?:,(?:MO|TU|WE|TH|FR|SA|SU))+\b")
UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.I)
NO_ADMIN_IN_MENU = (Role.SSO, Role.SAFETY_ADMINISTRATOR, Role.PRINCIPAL)


def leaks(html: str, usernames: set[str]) -> list[str]:
    """What on the page is a code or a login name instead of words. Text in <code> is a file
    format's column name, shown as such on purpose (an import's instructions)."""
    found = []
    for node in text_nodes(re.sub(r"<code>.*?</code>", "", html, flags=re.S)):
        words = set(re.findall(r"[\w.@-]+", node))
        found += [f"login name {u!r} in {node!r}" for u in sorted(usernames & words)]
        found += [f"code {c!r} in {node!r}" for c in CODE.findall(node)]
        found += [f"weekday codes in {node!r}" for _ in WEEKDAY_CODES.findall(node)]
        found += [f"UUID in {node!r}" for _ in UUID.findall(node)]
    return found


def test_the_checker_finds_codes_login_names_and_uuids() -> None:
    page = (
        "<p>on_track</p><td>demo-sa</td><span>MO,TU,WE</span><code>lms_id</code>"
        '<p title="x">8f14e45f-ceea-467f-a9b7-5b5d5a3c1f40</p><p>On track · Ana Ruiz</p>'
    )
    assert len(leaks(page, {"demo-sa"})) == 4


@pytest.mark.page_crawl
@pytest.mark.slow
@pytest.mark.django_db
def test_every_page_of_every_role_reads_as_words() -> None:
    call_command("seed_demo", "--schools", "12", stdout=io.StringIO())
    logins = demo_logins()
    usernames = set(User.objects.values_list("username", flat=True))
    claimed: set[str] = set()
    problems: list[str] = []
    checked = 0
    for login in logins:
        user = User.objects.get(username=login.username)
        # Each page as the crawl was served it, logged in as `user` (no second fetch).
        pages = crawl(user)
        for path, html in pages.items():
            if path != "/" and kind_of(path) in claimed:
                continue
            claimed.add(kind_of(path))
            checked += 1
            problems += [f"{login.username} {path}: {leak}" for leak in leaks(html, usernames)]
        role = getattr(getattr(user, "person", None), "role", None)
        home = pages.get("/", "")
        if role in NO_ADMIN_IN_MENU and 'href="/admin/"' in home:
            problems.append(f"{login.username}: Admin in the menu")
    assert checked > 2 * len(logins)
    assert not problems, f"{len(problems)} labels to fix:\n" + "\n".join(sorted(set(problems)))
