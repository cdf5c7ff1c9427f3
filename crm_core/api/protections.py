"""What every HTTP answer carries and every request is held to (README "Security").

- Security headers on every response: nosniff, frame options, referrer policy, and a strict
  Content-Security-Policy for the pages (scripts and styles from this origin only; websockets
  to this host and to Asterisk's WSS). The API document's pages (/docs, /redoc) load Swagger
  UI and ReDoc from their CDN, so they get no CSP.
- A request body larger than `max_body_bytes` is refused with 413, with or without a
  Content-Length header, before the app reads it.
- A 422 names the fields and says why, without echoing the input back (a 10 MB body used to
  come back as 10 MB): only short scalar inputs are kept.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self' ws: wss:; media-src 'self' blob: mediastream:; font-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
)
DOC_PAGES = ("/docs", "/redoc")
ECHO_LIMIT = 100


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = list(HEADERS)
        if not str(scope.get("path", "")).startswith(DOC_PAGES):
            extra.append((b"content-security-policy", CSP.encode()))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        body, more = b"", True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.max_bytes:
                await self._refuse(send)
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, send: Send) -> None:
        detail = {"detail": f"request body larger than {self.max_bytes} bytes"}
        payload = json.dumps(detail).encode()
        headers = [(b"content-type", b"application/json"), (b"connection", b"close")]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": payload})


def _encodable(value: object) -> object:
    """Text made safe for a UTF-8 answer (a lone surrogate becomes U+FFFD)."""
    if isinstance(value, str):
        return value.encode("utf-8", errors="replace").decode("utf-8")
    return value


def _short(error: dict[str, Any]) -> dict[str, Any]:
    kept: dict[str, Any] = {
        "loc": [_encodable(part) for part in error.get("loc", ())],
        "msg": _encodable(error.get("msg", "")),
        "type": error.get("type", "value_error"),
    }
    ctx = {k: v for k, v in (error.get("ctx") or {}).items() if isinstance(v, int | float | str)}
    if ctx:  # the limit a message names (max_length, ge…): the page words it in its language
        kept["ctx"] = {k: _encodable(v) for k, v in ctx.items()}
    value = error.get("input")
    if isinstance(value, bool | int | float) or (
        isinstance(value, str) and len(value) <= ECHO_LIMIT
    ):
        kept["input"] = _encodable(value)
    return kept


async def validation_error_handler(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    detail = [_short(item) for item in error.errors()]
    return JSONResponse({"detail": jsonable_encoder(detail)}, status_code=422)


def install_protections(app: FastAPI, max_body_bytes: int) -> None:
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)
    app.add_middleware(SecurityHeaders)
