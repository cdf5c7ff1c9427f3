"""/ws/supervisor: live queue statistics for supervisors and admins.

Protocol (JSON text frames):
  client -> {"type": "auth", "token": "<bearer token>"}   first frame, within AUTH_TIMEOUT
  server -> {"type": "error", "reason": ...} + close 1008  not signed in, or not supervisor/admin
  server -> {"type": "hello", "login": ..., "role": ...}
  server -> {"type": "snapshot", ...}                      the full picture at once, then again
                                                           whenever it changes, at most 2 per second
  server -> {"type": "keyword_alert", ...}                 a call's transcript said a keyword rule's
                                                           word (cti/transcripts/alerts.py; `live`
                                                           when said during the call: cti/live/)
  server -> live_transcript | live_transcript_stopped      every agent call's live lines (cti/live/)
Each snapshot is the full picture (a few KiB), so a client that missed frames is never wrong;
snapshots for one client are coalesced: while one waits its turn a newer one replaces it.
Alerts and live lines are not: each is sent once, in order, between snapshots.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from starlette.websockets import WebSocketState

from crm_core.models.enums import Role
from crm_core.services import Services
from cti.bus.base import (
    SUPERVISOR_ALERTS_TOPIC,
    SUPERVISOR_LIVE_TOPIC,
    SUPERVISOR_TOPIC,
    Bus,
    BusUnavailableError,
    Message,
    Subscription,
)
from cti.web.agent_ws import signed_in
from cti.web.ws_session import (
    NOT_A_FRAME,
    REVALIDATE_SECONDS,
    TRY_AGAIN_LATER,
    AccessWatch,
    keep_checking_access,
    receive_frame,
    refuse,
)

MIN_INTERVAL = 0.5
ALERTS_HELD = 500
ALLOWED = (Role.SUPERVISOR, Role.ADMIN)


class Latest:
    """A one-slot mailbox: putting replaces what has not been taken yet."""

    def __init__(self) -> None:
        self._message: Message | None = None
        self._ready = asyncio.Event()

    def put(self, message: Message) -> None:
        self._message = message
        self._ready.set()

    async def take(self) -> Message:
        await self._ready.wait()
        self._ready.clear()
        message, self._message = self._message, None
        assert message is not None
        return message


def supervisor_router(
    bus: Bus,
    current: Callable[[], Awaitable[Message]],
    min_interval: float = MIN_INTERVAL,
    revalidate_every: float = REVALIDATE_SECONDS,
) -> APIRouter:
    router = APIRouter()
    watch = AccessWatch(revalidate_every)

    @router.websocket("/ws/supervisor")
    async def supervisor_socket(websocket: WebSocket) -> None:
        await websocket.accept()
        services: Services = websocket.app.state.services
        found = await signed_in(websocket, services)
        if found is None:
            return
        actor, token = found
        if actor.role not in ALLOWED:
            reason = f"/ws/supervisor is for supervisors and admins; {actor.login} is {actor.role}"
            await refuse(websocket, reason)
            return
        subscription = await bus.subscribe(
            {SUPERVISOR_TOPIC, SUPERVISOR_ALERTS_TOPIC, SUPERVISOR_LIVE_TOPIC}
        )
        try:
            try:  # before the hello: a page refused here backs off before it tries again
                first = await current()
            except BusUnavailableError as exc:  # a web replica whose Redis is away
                await refuse(websocket, f"the live state is not reachable: {exc}", TRY_AGAIN_LATER)
                return
            await websocket.send_json({"type": "hello", "login": actor.login, "role": actor.role})
            # made only now: a coroutine left unawaited by a page gone before its hello warns
            access = keep_checking_access(websocket, services, token, watch)
            await _serve(websocket, subscription, first, min_interval, access)
        finally:
            await subscription.close()

    return router


async def _serve(
    websocket: WebSocket,
    subscription: Subscription,
    first: Message,
    min_interval: float,
    access: Coroutine[Any, Any, None],
) -> None:
    mailbox = Latest()
    mailbox.put(first)
    alerts: asyncio.Queue[Message] = asyncio.Queue(maxsize=ALERTS_HELD)
    tasks = [
        asyncio.create_task(_collect(subscription, mailbox, alerts)),
        asyncio.create_task(_send(websocket, mailbox, min_interval)),
        asyncio.create_task(_send_alerts(websocket, alerts)),
        asyncio.create_task(_notice_close(websocket)),
        asyncio.create_task(access),
    ]
    try:
        await asyncio.wait(tasks[3:], return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def _notice_close(websocket: WebSocket) -> None:
    """Client frames mean nothing here; a close ends the socket, anything else is answered."""
    with contextlib.suppress(WebSocketDisconnect, RuntimeError):
        while True:
            if await receive_frame(websocket) is None:
                await websocket.send_json(NOT_A_FRAME)


async def _collect(
    subscription: Subscription, mailbox: Latest, alerts: asyncio.Queue[Message]
) -> None:
    async for topic, message in subscription:
        if topic == SUPERVISOR_TOPIC:
            mailbox.put(message)
        elif not alerts.full():  # a client that stopped reading loses alerts, not the server
            alerts.put_nowait(message)


async def _send_alerts(websocket: WebSocket, alerts: asyncio.Queue[Message]) -> None:
    while True:
        message = await alerts.get()
        if websocket.application_state is not WebSocketState.CONNECTED:
            return
        with contextlib.suppress(RuntimeError):
            await websocket.send_json(message)


async def _send(websocket: WebSocket, mailbox: Latest, min_interval: float) -> None:
    while True:
        message = await mailbox.take()
        if websocket.application_state is not WebSocketState.CONNECTED:
            return
        with contextlib.suppress(RuntimeError):
            await websocket.send_json(message)
        await asyncio.sleep(min_interval)
