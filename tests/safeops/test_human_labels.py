"""Human labels everywhere: every page of every demo role reads as words. No login name where a
person's name belongs ("demo-sa"), no raw code ("on_track"), no weekday codes ("MO,TU,WE"), no
HSDS UUID, and no "Admin" in the menu of the field roles (SSO, SA, principal). The pages are
read in tests/safeops/test_every_page.py, which shares one crawl with the Spanish check."""

from __future__ import annotations

import re

from safeops.staff.choices import Role
from tests.safeops.pages import text_nodes

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
