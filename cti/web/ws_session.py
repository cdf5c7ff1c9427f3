"""What both websockets share: reading client frames safely, and staying signed in.

- `receive_frame`: a JSON object from a text frame, or None for anything else (a binary frame,
  text that is not JSON, JSON that is no object): the caller answers with an error frame and
  carries on, never an unhandled exception.
- `keep_checking_access`: the token is checked again every `every` seconds (all of a router's
  sockets in one query: `AccessWatch`); a password change, a
  deactivation or an expiry closes the socket (error frame, close 1008), so a deactivated
  supervisor's screen stops streaming.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from fastapi import WebSocket, WebSocketDisconnect

from crm_core.services import Services

log = logging.getLogger(__name__)
POLICY_VIOLATION = 1008
TRY_AGAIN_LATER = 1013
REVALIDATE_SECONDS = 5.0
NOT_A_FRAME = {"type": "error", "reason": "frames are JSON objects in text frames"}


async def receive_frame(websocket: WebSocket) -> dict[str, Any] | None:
    message = await websocket.receive()
    if message["type"] == "websocket.disconnect":
        raise WebSocketDisconnect(message.get("code", 1000))
    text = message.get("text")
    if text is None:
        return None
    try:
        frame = json.loads(text)
    except ValueError:
        return None
    return frame if isinstance(frame, dict) else None


async def refuse(websocket: WebSocket, reason: str, code: int = POLICY_VIOLATION) -> None:
    await websocket.send_json({"type": "error", "reason": reason})
    await websocket.close(code)


class AccessWatch:
    """Every open socket's token checked again each `every` seconds in one query a round, not one
    query a socket (2,000 agents' sockets were 400 queries a second, past a replica's pool). A
    round whose database is away is skipped: a database blip does not sign everyone out."""

    def __init__(self, every: float) -> None:
        self._every = every
        self._waiting: dict[str, list[asyncio.Future[str]]] = {}
        self._task: asyncio.Task[None] | None = None

    async def until_revoked(self, services: Services, token: str) -> str:
        """Waits until the token signs nobody in any more; the reason."""
        revoked: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(token, []).append(revoked)
        if self._task is None:
            self._task = asyncio.create_task(self._run(services), name="ws-access-watch")
        try:
            return await revoked
        finally:
            self._forget(token, revoked)

    def _forget(self, token: str, revoked: asyncio.Future[str]) -> None:
        waiting = self._waiting.get(token, [])
        if revoked in waiting:
            waiting.remove(revoked)
        if not waiting:
            self._waiting.pop(token, None)
        if not self._waiting and self._task is not None:
            self._task.cancel()
            self._task = None

    async def _run(self, services: Services) -> None:
        while True:
            await asyncio.sleep(self._every)
            try:
                revoked = await services.users.revoked_among(list(self._waiting))
            except Exception:
                log.warning("the websockets' access check failed; trying again", exc_info=True)
                continue
            for token, reason in revoked.items():
                for future in self._waiting.get(token, []):
                    if not future.done():
                        future.set_result(str(reason))


async def keep_checking_access(
    websocket: WebSocket, services: Services, token: str, watch: AccessWatch
) -> None:
    """Returns once access is gone (the socket is closed then)."""
    reason = await watch.until_revoked(services, token)
    await refuse(websocket, f"signed out: {reason}")
