"""What both websockets share: reading client frames safely, and staying signed in.

- `receive_frame`: a JSON object from a text frame, or None for anything else (a binary frame,
  text that is not JSON, JSON that is no object): the caller answers with an error frame and
  carries on, never an unhandled exception.
- `keep_checking_access`: the token is checked again every `every` seconds; a password change, a
  deactivation or an expiry closes the socket (error frame, close 1008), so a deactivated
  supervisor's screen stops streaming.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from fastapi import WebSocket, WebSocketDisconnect

from crm_core.errors import DomainError
from crm_core.services import Services

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


async def keep_checking_access(
    websocket: WebSocket, services: Services, token: str, every: float
) -> None:
    """Returns once access is gone (the socket is closed then)."""
    while True:
        await asyncio.sleep(every)
        try:
            await services.users.actor_for_token(token)
        except DomainError as exc:
            await refuse(websocket, f"signed out: {exc}")
            return
