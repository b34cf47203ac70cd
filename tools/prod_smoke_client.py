"""The end-to-end checks of tools/prod-smoke.sh, against a running production configuration.

    python tools/prod_smoke_client.py http://127.0.0.1:8245

Each step prints its name; the first failure exits 1 naming the step. Uses only the standard
library and `websockets` (a dependency of uvicorn[standard]).
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import websockets

PASSWORD = "safeops-demo"  # noqa: S105 - seed-demo's published demo password


class StepFailed(Exception):
    pass


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _lower(headers: Any) -> dict[str, str]:
    return {key.lower(): value for key, value in headers.items()}


class Browser:
    """Cookies, CSRF token and the Origin/Referer a browser sends, over plain urllib."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def request(
        self,
        method: str,
        path: str,
        *,
        form: dict[str, str] | None = None,
        json_body: dict[str, Any] | None = None,
    ) -> tuple[int, dict[str, str], str]:
        data = None
        headers = {"Origin": self.base, "Referer": self.base + path}
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if json_body is not None:
            data = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        url = self.base + path  # http(s) only: main() is given the server base URL
        req = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310
        try:
            with self.opener.open(req, timeout=30) as response:
                return response.status, _lower(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, _lower(error.headers), error.read().decode(errors="replace")

    def csrf(self, page: str) -> str:
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not found:
            raise StepFailed("no CSRF token on the page")
        return found.group(1)

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)

    def login(self, username: str) -> None:
        status, _h, page = self.request("GET", "/accounts/login/")
        if status != 200:
            raise StepFailed(f"GET /accounts/login/ answered {status}")
        status, headers, _b = self.request(
            "POST",
            "/accounts/login/",
            form={
                "username": username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.csrf(page),
            },
        )
        if status != 302 or headers.get("location") != "/":
            raise StepFailed(f"login as {username} answered {status} to {headers.get('location')}")
        status, home_headers, _home = self.request("GET", "/")
        # A session that did not take redirects to the login page; the dispatcher's home is the
        # live board (a redirect there).
        location = home_headers.get("location", "")
        if status == 302 and location.startswith("/dispatch/board/"):
            status, _h, _board = self.request("GET", location)
        if status != 200:
            raise StepFailed(f"the home page after login answered {status} ({location or '-'})")


def step(name: str) -> None:
    print(f"  - {name}", flush=True)


async def _board_event(base: str, cookie: str, file_request: Any) -> dict[str, Any]:
    url = base.replace("http", "ws", 1) + "/ws/dispatch/board/"
    async with websockets.connect(
        url, additional_headers={"Cookie": cookie, "Origin": base}
    ) as socket:
        await socket.send(json.dumps({"type": "resume", "last_seq": 10**12}))
        resumed = json.loads(await asyncio.wait_for(socket.recv(), 15))
        if resumed.get("type") != "resumed":
            raise StepFailed(f"the board socket answered {resumed.get('type')}")
        request_id = await asyncio.to_thread(file_request)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            message = json.loads(await asyncio.wait_for(socket.recv(), 15))
            event = message.get("event") or {}
            if message.get("type") == "event" and (event.get("request") or {}).get("id") == (
                request_id
            ):
                return dict(event)
        raise StepFailed(f"no live event for request {request_id} on the board")


def main(base: str) -> None:
    step("health: /healthz answers")
    anonymous = Browser(base)
    status, _h, body = anonymous.request("GET", "/healthz")
    if status != 200:
        raise StepFailed(f"/healthz answered {status}: {body[:200]}")

    step("static files: the login page's stylesheet is served from the collected manifest")
    _s, _h, page = anonymous.request("GET", "/accounts/login/")
    sheet = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', page)
    if sheet is None:
        raise StepFailed("the login page links no hashed stylesheet (collectstatic, DEBUG off)")
    status, _h, _b = anonymous.request("GET", sheet.group(1))
    if status != 200:
        raise StepFailed(f"{sheet.group(1)} answered {status}")

    step("login: demo-dispatcher and demo-sa sign in")
    dispatcher = Browser(base)
    dispatcher.login("demo-dispatcher")
    sa = Browser(base)
    sa.login("demo-sa")

    summary = f"Smoke test call {int(time.time())}"

    def file_request() -> int:
        status, _h, page = sa.request("GET", "/dispatch/requests/new/")
        if status != 200:
            raise StepFailed(f"the request form answered {status}")
        place = re.search(r'<select name="place"[^>]*>.*?<option value="(\d+)"', page, re.S)
        if place is None:
            raise StepFailed("the request form offers the SA no school")
        status, headers, body = sa.request(
            "POST",
            "/dispatch/requests/new/",
            form={
                "csrfmiddlewaretoken": sa.csrf(page),
                "place": place.group(1),
                "category": "person_in_crisis",
                "priority": "p2",
                "summary": summary,
            },
        )
        location = headers.get("location", "")
        found = re.fullmatch(r"/dispatch/requests/(\d+)/", location)
        if status != 302 or found is None:
            raise StepFailed(f"filing a request answered {status}: {body[:300]}")
        return int(found.group(1))

    step("dispatch: the SA files a request; the dispatcher's live board gets it (Redis)")
    event = asyncio.run(_board_event(base, dispatcher.cookie_header(), file_request))
    request_id = int(event["request"]["id"])

    step("dispatch: the request is visible to the SA and on the dispatcher's board")
    status, _h, page = sa.request("GET", f"/dispatch/requests/{request_id}/")
    if status != 200 or summary not in page:
        raise StepFailed(f"the SA's request page answered {status}")
    status, _h, board = dispatcher.request("GET", "/dispatch/board/state.json")
    if status != 200 or summary not in board:
        raise StepFailed(f"the board state answered {status} without the request")

    step("tip line: a public tip is filed as a browser sends it, then its status looked up")
    public = Browser(base)
    status, _h, body = public.request(
        "POST",
        "/api/tips/public",
        json_body={
            "what": "Smoke test: a student said something worrying",
            "place": "The bus stop by the school",
            "urgency": "unsure",
        },
    )
    if status != 201:
        raise StepFailed(f"filing a tip answered {status}: {body[:300]}")
    receipt = json.loads(body)
    status, _h, body = public.request(
        "POST",
        "/api/tips/public/status",
        json_body={"code": receipt["code"], "phrase": receipt["phrase"]},
    )
    if status != 200 or json.loads(body).get("code") != receipt["code"]:
        raise StepFailed(f"looking the tip up answered {status}: {body[:300]}")


if __name__ == "__main__":
    try:
        main(sys.argv[1].rstrip("/"))
    except StepFailed as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        sys.exit(1)
    print("prod-smoke client: every step passed")
