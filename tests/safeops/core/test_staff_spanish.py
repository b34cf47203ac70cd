"""Spanish for every page a Safety Administrator, a principal and an SSO reach (issue 19; the
officer's phone view since issue 15): each page is
rendered in English and in Spanish, and no text the product wrote (a template's words, a
message or a label in the code) may be left in English on the Spanish page.

Data stays as it is (a school's or a person's name, a topic the district named): a text node
counts as the product's own when it is, or contains a phrase of two or more words that is,
literal text of a template or a string in the code (demo and default-seed data aside).
Text in <code> (a download's stored values) and statute citations read the same in both."""

from __future__ import annotations

import ast
import io
import re
from functools import cache
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from safeops.accounts.models import User
from safeops.staff.choices import Role
from tests.safeops.pages import kind_of, pages_of, text_nodes

PACKAGE = Path(__file__).resolve().parents[3] / "src" / "safeops"
DATA_MODULES = re.compile(r"(^|/)(demo|defaults|migrations|management|tests?)(/|\.py$|_)")
# "Principal": the role in English, and the Spanish for the menu's name ("Main"). "Plan" (a
# threat case's plan) and "no" (a yes/no cell) are spelled alike in both languages.
SAME_IN_BOTH = {
    "safeops",
    "English",
    "Español",
    "CSV",
    "JSON",
    "PDF",
    "JPEG",
    "PNG",
    "SSO",
    "Principal",
    "Plan",
    "no",
    "No",
    "Total",
}
# A statute's citation ("KRS 158.162(2)", "815 KAR 10:060") is the same in Spanish.
CITATION = re.compile(r"(?:\d+ )?(?:KRS|KAR)[\s\d.:()]*")
# Pages an SA or a principal reaches that are not in Spanish yet: none since issue 19. A page
# listed here is checked all the same, and the test fails when it has no English left, so the
# list only shrinks. Every other page must be complete.
NOT_YET_SPANISH: frozenset[str] = frozenset()
ROLES = tuple(Role)
# Pages a role lands on by redirect (the crawl follows links only).
LANDINGS = {Role.SSO: ["/dispatch/officer/"]}


def _phrase(text: str) -> str:
    return " ".join(text.split())


@cache
def product_text() -> frozenset[str]:
    """Literal text of the templates and string constants of the code (not demo data)."""
    phrases: set[str] = set()
    for template in (PACKAGE / "templates").rglob("*.html"):
        text = template.read_text()
        marked = re.findall(r"{%\s*(?:translate|trans)\s+[\"'](.*?)[\"']", text)
        marked += re.findall(r"{%\s*blocktrans.*?%}(.*?){%\s*(?:plural|endblocktrans)", text, re.S)
        source = "\n".join([text, *marked])
        source = re.sub(r"{#.*?#}|{%.*?%}|{{.*?}}|<[^>]*>", "\n", source, flags=re.S)
        phrases.update(_phrase(part) for part in source.split("\n"))
    for module in PACKAGE.rglob("*.py"):
        if DATA_MODULES.search(str(module.relative_to(PACKAGE))):
            continue
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                phrases.add(_phrase(re.sub(r"%\(\w+\)s|\{\w*\}", "\n", node.value)))
    return frozenset(p for p in phrases if re.search(r"[A-Za-z]{2,}", p))


def english_left(english: str, spanish: str) -> list[str]:
    """Text nodes of the English page still on the Spanish one that the product wrote."""
    ours = product_text()
    # Two words of three letters or more: "out of" alone is no sign of ours in a sentence.
    several_words = {p for p in ours if len(re.findall(r"[A-Za-z]{3,}", p)) >= 2}
    left = []
    # Text in <code> is a stored value (a download's column or category), the same in both.
    english, spanish = (
        re.sub(r"<code\b[^>]*>.*?</code>", "", html, flags=re.S) for html in (english, spanish)
    )
    for node in sorted(text_nodes(english) & text_nodes(spanish)):
        if node in SAME_IN_BOTH or CITATION.fullmatch(node):
            continue
        if node in ours or node.rstrip(":.") in ours or any(p in node for p in several_words):
            left.append(node)
    return left


def test_the_checker_tells_product_text_from_data() -> None:
    english = "<h1>Drill compliance</h1><td>Valley Middle</td><p>Due soon</p>"
    spanish = "<h1>Drill compliance</h1><td>Valley Middle</td><p>Próximo</p>"
    assert english_left(english, spanish) == ["Drill compliance"]


@pytest.mark.slow
@pytest.mark.django_db
def test_every_sa_principal_and_sso_page_is_in_spanish() -> None:
    call_command("seed_demo", "--schools", "12", stdout=io.StringIO())
    problems: list[str] = []
    english_pages: set[str] = set()
    reached: set[str] = set()
    for role in ROLES:
        user = User.objects.filter(person__role=role, username__startswith="demo-").first()
        if user is None:
            continue
        clients = {}
        for language in ("en", "es"):
            clients[language] = Client(HTTP_ACCEPT_LANGUAGE=language)
            clients[language].force_login(user)
        for path in [*pages_of(user), *LANDINGS.get(role, [])]:
            english = clients["en"].get(path).content.decode()
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
    assert "/dispatch/officer/" in reached
    assert not problems, f"{len(problems)} English texts on Spanish pages:\n" + "\n".join(problems)
    done = sorted((NOT_YET_SPANISH & reached) - english_pages)
    assert not done, f"now in Spanish, take them off NOT_YET_SPANISH: {done}"
    assert reached >= NOT_YET_SPANISH, f"not reached any more: {sorted(NOT_YET_SPANISH - reached)}"
