"""/ws/agent: each agent's screen-pops, for their own extensions only, in every open tab.

Protocol (JSON text frames):
  client -> {"type": "auth", "token": "<bearer token>"}      first frame, within AUTH_TIMEOUT
  server -> {"type": "hello", "login": ..., "extensions": [...]}
  server -> {"type": "snapshot", "pops": [...]}               what the agent's screen shows now
  server -> ring | answered | withdraw | ended                 as calls happen
  client -> {"type": "dismiss", "linkedid": "..."}            the wrap-up form was closed
  server -> callback_due | callback_waiting | callback_dialing  (cti/callbacks/, on the same topic;
            after the snapshot: callback_due again for those notified in the last 12 h, still open)
  server -> agent_state                                        (cti/agents/state_push.py)
The token travels in a frame, not the URL, so it never lands in access logs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from starlette.websockets import WebSocketState

from crm_core.errors import DomainError
from crm_core.services import Services
from crm_core.services.dto import Actor
from cti.bus.base import Bus, BusUnavailableError, Subscription, agent_topic
from cti.callbacks.autodial import message as callback_frame
from cti.pbxs import agent_key
from cti.web.live_state import LiveState
from cti.web.ws_session import (
    NOT_A_FRAME,
    POLICY_VIOLATION,
    REVALIDATE_SECONDS,
    TRY_AGAIN_LATER,
    AccessWatch,
    keep_checking_access,
    receive_frame,
    refuse,
)

log = logging.getLogger(__name__)
AUTH_TIMEOUT = 5.0
CALLBACK_REPLAY = timedelta(hours=12)
__all__ = ["POLICY_VIOLATION", "agent_router", "signed_in"]


async def signed_in(websocket: WebSocket, services: Services) -> tuple[Actor, str] | None:
    """(actor, token) from the first frame; None after an error frame and close 1008."""
    try:
        first = await asyncio.wait_for(receive_frame(websocket), AUTH_TIMEOUT)
        if first is None:
            raise ValueError('the first frame is {"type": "auth", "token": ...}')
        token = str(first.get("token", ""))
        return await services.users.actor_for_token(token), token
    except (TimeoutError, ValueError, DomainError) as exc:
        await refuse(websocket, f"authentication failed: {exc}")
        return None


def agent_router(
    bus: Bus, live: LiveState, revalidate_every: float = REVALIDATE_SECONDS
) -> APIRouter:
    router = APIRouter()
    watch = AccessWatch(revalidate_every)

    @router.websocket("/ws/agent")
    async def agent_socket(websocket: WebSocket) -> None:
        await websocket.accept()
        services: Services = websocket.app.state.services
        found = await signed_in(websocket, services)
        if found is None or found[0].id is None:
            return
        actor, token = found
        assert actor.id is not None
        user = await services.users.get(actor.id)
        # the user's extensions on their PBX (cti/pbxs.py): another PBX's 1001 is not theirs
        extensions = {agent_key(user.pbx, ext) for ext in user.extensions}
        subscription = await bus.subscribe({agent_topic(ext) for ext in extensions})
        try:
            try:  # before the hello: a page refused here backs off before it tries again
                pops = await live.pops(extensions)
            except BusUnavailableError as exc:  # a web replica whose Redis is away
                await refuse(websocket, f"the live state is not reachable: {exc}", TRY_AGAIN_LATER)
                return
            await websocket.send_json(
                {"type": "hello", "login": user.login, "extensions": sorted(user.extensions)}
            )
            await websocket.send_json({"type": "snapshot", "pops": pops})
            await _replay_due_callbacks(websocket, services, user.id)
            access = keep_checking_access(websocket, services, token, watch)
            await _serve(websocket, subscription, live, extensions, access)
        finally:
            await subscription.close()

    return router


async def _replay_due_callbacks(websocket: WebSocket, services: Services, user_id: int) -> None:
    """Call-backs notified while this page was away (a bridge restart, a reload) and still open."""
    since = datetime.now(UTC) - CALLBACK_REPLAY
    for callback in await services.due_callbacks.notified_open(user_id, since):
        await websocket.send_json(callback_frame("callback_due", callback))


async def _serve(
    websocket: WebSocket,
    subscription: Subscription,
    live: LiveState,
    extensions: set[str],
    access: Coroutine[Any, Any, None],
) -> None:
    tasks = [
        asyncio.create_task(_forward(websocket, subscription)),
        asyncio.create_task(_read(websocket, live, extensions)),
        asyncio.create_task(access),
    ]
    try:
        await asyncio.wait(tasks[1:], return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def _read(websocket: WebSocket, live: LiveState, extensions: set[str]) -> None:
    with contextlib.suppress(WebSocketDisconnect, RuntimeError):
        while True:
            frame = await receive_frame(websocket)
            if frame is None:
                await websocket.send_json(NOT_A_FRAME)
                continue
            await _handle_client_frame(frame, live, extensions)


async def _forward(websocket: WebSocket, subscription: Subscription) -> None:
    async for _topic, message in subscription:
        if websocket.application_state is not WebSocketState.CONNECTED:
            return
        with contextlib.suppress(RuntimeError):
            await websocket.send_json(message)


async def _handle_client_frame(frame: Any, live: LiveState, extensions: set[str]) -> None:
    if isinstance(frame, dict) and frame.get("type") == "dismiss":
        await live.dismiss(extensions, str(frame.get("linkedid", "")))
