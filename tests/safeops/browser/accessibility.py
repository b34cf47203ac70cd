"""Shared browser checks: axe-core (WCAG 2.x A and AA) and "no sideways scroll", and a logged-in
page that collects its console errors.

axe-core's script comes from the `axe-playwright-python` dev dependency (it ships axe.min.js),
so a clean machine gets it through `make install`; it is evaluated in the page through the
DevTools protocol, which the page's Content-Security-Policy does not block.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

from django.conf import settings
from django.test import Client

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
SIZES = {"desktop": DESKTOP, "phone": PHONE}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILING_IMPACTS = ("serious", "critical")
STEP_MS = 5000  # a browser step's wait: generous for a loaded 2-core machine


@cache
def axe_source() -> str:
    return files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now (WCAG 2.0/2.1/2.2 A and AA rules)."""
    page.wait_for_load_state("load")  # a click may have started a navigation
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return list(result["violations"])


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        targets = ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])}x: {targets})")
    return "\n".join(lines)


def assert_accessible(page: Any, *, label: str = "") -> None:
    """Fail on any serious or critical axe violation, listing each with where it is."""
    bad = [v for v in axe_violations(page) if v.get("impact") in FAILING_IMPACTS]
    where = label or page.url
    assert not bad, f"axe: serious or critical violations on {where}:\n{describe(bad)}"


def assert_no_horizontal_scroll(page: Any, *, label: str = "") -> None:
    """The page is no wider than the window (nothing scrolls sideways)."""
    page.wait_for_load_state("load")  # a click may have started a navigation
    widths = page.evaluate(
        "() => ({page: document.documentElement.scrollWidth,"
        " window: document.documentElement.clientWidth})"
    )
    where = label or page.url
    assert widths["page"] <= widths["window"], f"{where} scrolls sideways: {widths}"


def logged_in_context(browser: Any, base: str, user: Any, **options: Any) -> Any:
    """A browser context holding a session for `user` (no typing of passwords)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=base, **options)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base,
            }
        ]
    )
    return context


def check(page: Any, label: str) -> None:
    """No sideways scroll and no serious or critical axe violation."""
    assert_no_horizontal_scroll(page, label=label)
    assert_accessible(page, label=label)


def watched_page(browser: Any, base: str, user: Any, **options: Any) -> tuple[Any, Any, list[str]]:
    """A logged-in context, its page, and the console and page errors the page reports."""
    context = logged_in_context(browser, base, user, **options)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    return context, page, errors
