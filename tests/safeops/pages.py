"""Finding every page a login reaches, and reading a page's visible text: shared by the page
sweep (browser), the human-labels check and the Spanish check of the staff pages."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from django.test import Client

DEPTH = 2
LEFT_OUT = re.compile(
    r"^/(admin|api|accounts/logout|i18n|metrics|healthz|readyz|static|media|ws)(/|$)"
    r"|\.(csv|ics|json|pdf|png|svg|js|css|xml)$|/(export|download|feed|calendar\.ics)"
)


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


def pages_of(user: Any, *, depth: int = DEPTH) -> list[str]:
    """Same-site pages `user` reaches from the home page within `depth` clicks (HTML, 200),
    one per kind of page (its path with numbers replaced)."""
    return list(crawl(user, depth=depth))


def crawl(user: Any, *, depth: int = DEPTH, language: str | None = None) -> dict[str, str]:
    """The pages of `pages_of`, each with the HTML `user` was served while finding them (for a
    check of that HTML, so it need not fetch every page a second time), in `language` when
    given (the browser's Accept-Language)."""
    client = Client(**({"HTTP_ACCEPT_LANGUAGE": language} if language else {}))
    client.force_login(user)
    seen: dict[str, str] = {}
    html: dict[str, str] = {}
    frontier = ["/"]
    for _level in range(depth + 1):
        following: list[str] = []
        for path in frontier:
            kind = kind_of(path)
            if kind in seen or LEFT_OUT.search(path.split("?")[0]):
                continue
            response = client.get(path)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            seen[kind] = path
            html[path] = response.content.decode()
            parser = _Links()
            parser.feed(html[path])
            following.extend(parser.hrefs)
        frontier = following
    return {path: html[path] for path in seen.values()}


class _Text(HTMLParser):
    """Visible text nodes, plus the attributes people hear or read (aria-label, placeholder)."""

    def __init__(self) -> None:
        super().__init__()
        self.nodes: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("aria-label", "placeholder", "title") and value:
                self.nodes.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.nodes.append(data)


def text_nodes(html: str) -> set[str]:
    """The page's words as people read or hear them, one entry per text node."""
    parser = _Text()
    parser.feed(html)
    nodes = {" ".join(node.split()) for node in parser.nodes}
    return {node for node in nodes if re.search(r"[A-Za-z]{2,}", node)}
