"""What the page crawls read on every page (tests/safeops/test_every_page.py).

Human labels: no login name where a person's name belongs ("demo-sa"), no raw code ("on_track"),
no weekday codes ("MO,TU,WE"), no HSDS UUID, and no "Admin" in the menu of the field roles (SSO,
SA, principal).

Spanish for every page a member of staff reaches, in every role with a demo user (issue 19 for
the SA, the principal and the SSO; the officer's phone view since issue 15; every role since):
each page is rendered in English and in Spanish, and no text the product wrote (a template's
words, a message or a label in the code) may be left in English on the Spanish page. Data stays
as it is (a school's or a person's name, a topic the district named): a text node counts as the
product's own when it is, or contains a phrase of two or more words that is, literal text of a
template or a string in the code (demo and default-seed data aside). Text in <code> (a
download's stored values, an audit entry's record) and statute citations read the same in both.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

from safeops.access import Action, Resource, schools_with_access
from safeops.accounts.models import User
from safeops.core.jobs import run_due_jobs
from safeops.dispatch.models import SupportRequest
from safeops.referrals.choices import PROVIDER_FEEDBACK_SCOPES
from safeops.referrals.choices import Status as ReferralStatus
from safeops.referrals.models import Referral
from safeops.referrals.services import referral_provider_link_create
from safeops.safetyplans.models import PlanVersion
from safeops.scenarios.models import ScenarioStatus
from safeops.scenarios.services import scenario_create
from safeops.schools.models import District
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


PACKAGE = Path(__file__).resolve().parents[2] / "src" / "safeops"
DATA_MODULES = re.compile(r"(^|/)(demo|defaults|migrations|management|tests?)(/|\.py$|_)")
# "Principal": the role in English, and the Spanish for the menu's name ("Main"). "Plan" (a
# threat case's plan), "no" (a yes/no cell) and "Radio" (equipment) are spelled alike in both
# languages.
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
    "Radio",
}
# A statute's citation ("KRS 158.162(2)", "815 KAR 10:060") is the same in Spanish.
CITATION = re.compile(r"(?:\d+ )?(?:KRS|KAR)[\s\d.:()]*")
# Pages an SA or a principal reaches that are not in Spanish yet: none since issue 19. A page
# listed here is checked all the same, and the test fails when it has no English left, so the
# list only shrinks. Every other page must be complete.
NOT_YET_SPANISH: frozenset[str] = frozenset()
ROLES = tuple(Role)
# Pages a role lands on by redirect or a form, or deeper than the crawl goes (it follows links
# only, two clicks from the home page; the dispatcher's home redirects to the board). A `{name}`
# is the id of a record of the demo district (`landing_records`); a page whose record is missing is
# skipped.
LANDINGS = {
    Role.SSO: ["/dispatch/officer/"],
    Role.DISPATCHER: ["/dispatch/board/", "/dispatch/history/", "/dispatch/requests/{request}/"],
    Role.SAFETY_ADMINISTRATOR: [
        "/dispatch/requests/new/",
        "/drills/schools/{school}/log/",
        "/facilities/schools/{school}/audit/",
        "/plans/{plan}/compare/?old={version}&new={version}",
        "/referrals/provider/{provider}/",
        "/referrals/provider/no-such-link/",
    ],
    Role.SECURITY_CHIEF: [
        "/planning/",
        "/planning/{scenario}/",
        "/planning/compare/",
        "/planning/compare/?ids={scenario}",
    ],
}


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


def landing_records() -> dict[str, object]:
    """Ids for the `{name}`s of LANDINGS: a school, a safety plan version and a provider link of
    the demo SA, a support request, and a finished planning scenario (run here: the demo has
    none)."""
    sa = User.objects.get(username="demo-sa")
    school = schools_with_access(sa, Action.CHANGE, Resource.FACILITY_AUDIT).first()
    version = PlanVersion.objects.filter(plan__school=school).order_by("number").first()
    referral = (
        Referral.objects.filter(school=school, consent_scope__in=PROVIDER_FEEDBACK_SCOPES)
        .exclude(status=ReferralStatus.CLOSED)
        .first()
    )
    request = SupportRequest.objects.order_by("pk").first()
    chief = User.objects.get(username="demo-chief")
    scenario = scenario_create(
        district=District.objects.get(), name="Comprobación", actor=chief, officers=3
    )
    run_due_jobs()
    scenario.refresh_from_db()
    assert scenario.status == ScenarioStatus.DONE, scenario.error
    return {
        "school": school.pk if school else None,
        "plan": version.plan_id if version else None,
        "version": version.number if version else None,
        "provider": referral_provider_link_create(referral=referral, actor=sa)
        if referral
        else None,
        "request": request.pk if request else None,
        "scenario": scenario.pk,
    }


def landings(role: Role, records: dict[str, object]) -> list[str]:
    paths = []
    for path in LANDINGS.get(role, []):
        names = re.findall(r"\{(\w+)\}", path)
        if all(records[name] is not None for name in names):
            paths.append(path.format(**records))
    return paths
