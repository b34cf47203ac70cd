"""Local stand-ins for the outside services, speaking their real protocols.

- `PushReceiver`: a Web Push endpoint (RFC 8030) holding a browser's subscription keys. It
  checks the VAPID header (RFC 8292: the JWT's ES256 signature with the `k` key, its audience
  and expiry) and decrypts the aes128gcm body (RFC 8291) with the subscription's private key.
- `FakeTwilio`: Twilio's 2010-04-01 Messages and Calls resources with basic auth, and the
  provider's side of the status callbacks (signed like X-Twilio-Signature).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

PORTS = range(8110, 8120)  # this engineer's port range


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _serve(handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    for port in PORTS:
        try:
            server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        except OSError:
            continue
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server
    raise RuntimeError("No free port in 8110-8119")


@dataclass
class BrowserKeys:
    """A subscription's keys as a browser makes them: P-256 pair and a 16-byte secret."""

    private: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def p256dh(self) -> str:
        return b64url(
            self.private.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )


@dataclass
class PushMessage:
    path: str
    payload: dict[str, Any]
    headers: dict[str, str]
    jwt_claims: dict[str, Any]
    vapid_key: str
    received_at: float


class PushReceiver:
    """A push service endpoint per subscription path; `gone` paths answer 410."""

    def __init__(self, *, delay_seconds: float = 0.0) -> None:
        self.keys: dict[str, BrowserKeys] = {}
        self.messages: list[PushMessage] = []
        self.errors: list[str] = []
        self.gone: set[str] = set()
        self.delay_seconds = delay_seconds
        self.in_flight = 0
        self.most_in_flight = 0  # the most requests handled at once (concurrent senders)
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as push services do

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = {k.lower(): v for k, v in self.headers.items()}
                status = receiver.receive(self.path, headers, body)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = _serve(Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def subscribe(self, name: str) -> dict[str, Any]:
        keys = self.keys.setdefault(f"/push/{name}", BrowserKeys())
        return {
            "endpoint": f"{self.base}/push/{name}",
            "keys": {"p256dh": keys.p256dh, "auth": b64url(keys.auth)},
        }

    def receive(self, path: str, headers: dict[str, str], body: bytes) -> int:
        with self._lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            return self._receive(path, headers, body)
        finally:
            with self._lock:
                self.in_flight -= 1

    def _receive(self, path: str, headers: dict[str, str], body: bytes) -> int:
        if self.delay_seconds:
            time.sleep(self.delay_seconds)
        if path in self.gone:
            return 410
        keys = self.keys.get(path)
        if keys is None:
            return 404
        try:
            claims, vapid_key = self._check_vapid(headers.get("authorization", ""))
            plain = http_ece.decrypt(
                body, private_key=keys.private, auth_secret=keys.auth, version="aes128gcm"
            )
        except (ValueError, InvalidSignature, KeyError) as error:
            self.errors.append(f"{path}: {error!r}")
            return 400
        self.messages.append(
            PushMessage(path, json.loads(plain), headers, claims, vapid_key, time.monotonic())
        )
        return 201

    def _check_vapid(self, header: str) -> tuple[dict[str, Any], str]:
        scheme, _, rest = header.partition(" ")
        if scheme.lower() != "vapid":
            raise ValueError(f"Authorization is not vapid: {header[:30]!r}")
        parts = dict(p.strip().split("=", 1) for p in rest.split(","))
        token, key = parts["t"], parts["k"]
        head, claims_b64, signature_b64 = token.split(".")
        signature = b64url_decode(signature_b64)
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(key))
        der = encode_dss_signature(
            int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        )
        public.verify(der, f"{head}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
        claims = json.loads(b64url_decode(claims_b64))
        if claims["aud"] != self.base:
            raise ValueError(f"VAPID audience {claims['aud']} is not {self.base}")
        if claims["exp"] < time.time():
            raise ValueError("VAPID token expired")
        return claims, key

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass
class ProviderRequest:
    resource: str
    form: dict[str, str]
    sid: str


class FakeTwilio:
    """Twilio's REST API for one account; `refuse` makes the next request a 400 error."""

    def __init__(self, *, account_sid: str, auth_token: str) -> None:
        self.account_sid, self.auth_token = account_sid, auth_token
        self.requests: list[ProviderRequest] = []
        self.refuse = False
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                status, answer = provider.handle(
                    self.path, self.headers.get("authorization", ""), form
                )
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = _serve(Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def handle(
        self, path: str, authorization: str, form: dict[str, str]
    ) -> tuple[int, dict[str, Any]]:
        expected = (
            "Basic " + base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        )
        if authorization != expected:
            return 401, {"code": 20003, "message": "Authenticate", "status": 401}
        prefix = f"/2010-04-01/Accounts/{self.account_sid}/"
        if not path.startswith(prefix) or path[len(prefix) :] not in (
            "Messages.json",
            "Calls.json",
        ):
            return 404, {"code": 20404, "message": "Not found", "status": 404}
        resource = path[len(prefix) : -len(".json")]
        if self.refuse:
            self.refuse = False
            return 400, {"code": 21211, "message": "The 'To' number is not valid.", "status": 400}
        missing = [k for k in ("To", "From") if not form.get(k)]
        if missing or (resource == "Messages" and not form.get("Body")):
            return 400, {"code": 21604, "message": f"Missing {missing or 'Body'}", "status": 400}
        if resource == "Calls" and not (form.get("Twiml") or form.get("Url")):
            return 400, {"code": 21205, "message": "Url or Twiml is required", "status": 400}
        sid = ("SM" if resource == "Messages" else "CA") + secrets.token_hex(16)
        self.requests.append(ProviderRequest(resource, form, sid))
        return 201, {"sid": sid, "status": "queued", "to": form["To"]}

    def status_callback(
        self, request: ProviderRequest, status: str
    ) -> tuple[str, dict[str, str], str]:
        """The callback the provider would send: (url, form, X-Twilio-Signature)."""
        url = request.form["StatusCallback"]
        if request.resource == "Messages":
            form = {
                "MessageSid": request.sid,
                "MessageStatus": status,
                "AccountSid": self.account_sid,
            }
        else:
            form = {"CallSid": request.sid, "CallStatus": status, "AccountSid": self.account_sid}
        signed = url + "".join(k + form[k] for k in sorted(form))
        signature = base64.b64encode(
            hmac.new(self.auth_token.encode(), signed.encode(), hashlib.sha1).digest()
        ).decode()
        return url, form, signature

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def receiver_process(conn: Any, names: list[str], delay_seconds: float) -> None:
    """A PushReceiver in a process of its own (the bench): sends back the subscriptions, then,
    when asked, every message's (tag, monotonic time received) and the errors."""
    receiver = PushReceiver(delay_seconds=delay_seconds)
    conn.send([receiver.subscribe(name) for name in names])
    while conn.recv() == "results":
        conn.send(
            (
                [(m.payload.get("tag", ""), m.received_at) for m in receiver.messages],
                receiver.errors,
            )
        )
        receiver.messages.clear()
    receiver.close()
