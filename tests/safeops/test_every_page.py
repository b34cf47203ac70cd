"""Every page of every demo role, read once for two checks (one seeded demo district and one crawl
per role for the module, tests/safeops/seeded.py): the pages read as words, and every staff page
is in Spanish. What each check reads on a page is in tests/safeops/page_words.py."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.test import Client
from pytest_django import DjangoDbBlocker

from safeops.accounts.models import User
from safeops.staff.choices import Role
from tests.safeops.page_words import (
    NO_ADMIN_IN_MENU,
    NOT_YET_SPANISH,
    ROLES,
    english_left,
    landing_records,
    landings,
    leaks,
)
from tests.safeops.pages import crawl, kind_of
from tests.safeops.seeded import module_transaction

SCHOOLS = 12


@dataclass(frozen=True)
class Crawled:
    """Each role's demo login and the English pages it reached (path -> HTML as served)."""

    users: dict[Role, int]
    pages: dict[Role, dict[str, str]]
    landings: dict[Role, list[str]]


@pytest.fixture(scope="module")
def crawled(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[Crawled]:
    with module_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            call_command("seed_demo", "--schools", str(SCHOOLS), stdout=io.StringIO())
            records = landing_records()
            users: dict[Role, int] = {}
            pages: dict[Role, dict[str, str]] = {}
            for role in ROLES:
                user = User.objects.filter(person__role=role, username__startswith="demo-").first()
                if user is not None:
                    users[role] = user.pk
                    pages[role] = crawl(user, language="en")
        yield Crawled(users, pages, {role: landings(role, records) for role in users})


@pytest.mark.page_crawl
@pytest.mark.slow
def test_every_page_of_every_role_reads_as_words(crawled: Crawled, db: None) -> None:
    usernames = set(User.objects.values_list("username", flat=True))
    claimed: set[str] = set()
    problems: list[str] = []
    checked = 0
    for role, pages in crawled.pages.items():
        username = User.objects.get(pk=crawled.users[role]).username
        for path, html in pages.items():
            if path != "/" and kind_of(path) in claimed:
                continue
            claimed.add(kind_of(path))
            checked += 1
            problems += [f"{username} {path}: {leak}" for leak in leaks(html, usernames)]
        if role in NO_ADMIN_IN_MENU and 'href="/admin/"' in pages.get("/", ""):
            problems.append(f"{username}: Admin in the menu")
    assert checked > 2 * len(crawled.pages)
    assert not problems, f"{len(problems)} labels to fix:\n" + "\n".join(sorted(set(problems)))


@pytest.mark.page_crawl
@pytest.mark.slow
def test_every_staff_page_is_in_spanish(crawled: Crawled, db: None) -> None:
    problems: list[str] = []
    english_pages: set[str] = set()
    reached: set[str] = set()
    for role, found in crawled.pages.items():
        user = User.objects.get(pk=crawled.users[role])
        clients = {}
        for language in ("en", "es"):
            clients[language] = Client(HTTP_ACCEPT_LANGUAGE=language)
            clients[language].force_login(user)
        # The crawl's English pages are read as found; only the landings are fetched again.
        for path in [*found, *crawled.landings[role]]:
            english = found.get(path) or clients["en"].get(path).content.decode()
            spanish = clients["es"].get(path).content.decode()
            assert '<html lang="es">' in spanish, path
            kind = kind_of(path)
            reached.add(kind)
            left = english_left(english, spanish)
            if left:
                english_pages.add(kind)
            if left and kind not in NOT_YET_SPANISH:
                problems += [f"{role.value} {path}: {text!r}" for text in left]
    assert {"/", "/drills/", "/facilities/", "/staff/", "/training/district/"} <= reached
    assert {"/dispatch/officer/", "/dispatch/board/", "/planning/N/"} <= reached
    assert not problems, f"{len(problems)} English texts on Spanish pages:\n" + "\n".join(problems)
    done = sorted((NOT_YET_SPANISH & reached) - english_pages)
    assert not done, f"now in Spanish, take them off NOT_YET_SPANISH: {done}"
    assert reached >= NOT_YET_SPANISH, f"not reached any more: {sorted(NOT_YET_SPANISH - reached)}"


def test_the_checker_finds_codes_login_names_and_uuids() -> None:
    page = (
        "<p>on_track</p><td>demo-sa</td><span>MO,TU,WE</span><code>lms_id</code>"
        '<p title="x">8f14e45f-ceea-467f-a9b7-5b5d5a3c1f40</p><p>On track · Ana Ruiz</p>'
    )
    assert len(leaks(page, {"demo-sa"})) == 4


def test_the_checker_tells_product_text_from_data() -> None:
    english = "<h1>Drill compliance</h1><td>Valley Middle</td><p>Due soon</p>"
    spanish = "<h1>Drill compliance</h1><td>Valley Middle</td><p>Próximo</p>"
    assert english_left(english, spanish) == ["Drill compliance"]
