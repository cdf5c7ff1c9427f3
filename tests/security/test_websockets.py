"""Findings 8 and 9 (issue 13) on a real server: a binary or non-JSON frame is answered, not
an unhandled exception; a password change or a deactivation closes the open sockets."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest_asyncio
import uvicorn
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from crm_core.services import Services
from crm_core.settings import CrmSettings
from cti.app import create_app
from cti.bus.memory import MemoryBus
from cti.screenpop.registry import PopRegistry
from cti.web.agent_ws import agent_router
from cti.web.live_state import LocalLiveState
from cti.web.supervisor_ws import supervisor_router
from tests.fixtures.bridge import free_port, wait_until
from tests.fixtures.db import LoggedIn, LoginAs

EVERY = 0.2


@pytest_asyncio.fixture
async def ws_url(crm_settings: CrmSettings, services: Services) -> AsyncIterator[str]:
    bus = MemoryBus()
    live = LocalLiveState([PopRegistry()], lambda: {"type": "snapshot"}, bus)
    routers = [
        agent_router(bus, live, revalidate_every=EVERY),
        supervisor_router(bus, live.supervisor, revalidate_every=EVERY),
    ]
    app = create_app(crm_settings, services=services, extra_routers=routers, static_dir=None)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    await wait_until(lambda: server.started, 15, "the server")
    try:
        yield f"ws://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 20)


async def _frame(websocket: ClientConnection) -> dict[str, Any]:
    frame: dict[str, Any] = json.loads(await asyncio.wait_for(websocket.recv(), 5))
    return frame


async def _closed_within(websocket: ClientConnection, seconds: float) -> list[dict[str, Any]]:
    """The frames received until the server closes the socket (fails after `seconds`)."""
    frames = []
    async with asyncio.timeout(seconds):
        try:
            while True:
                frames.append(json.loads(await websocket.recv()))
        except ConnectionClosed:
            pass
    assert websocket.close_code == 1008
    return frames


async def test_binary_and_garbage_first_frames_are_refused_cleanly(ws_url: str) -> None:
    for first in (b"\x00\xff binary", "not json", "[1, 2]"):
        async with connect(f"{ws_url}/ws/agent") as websocket:
            await websocket.send(first)
            frames = await _closed_within(websocket, 5)
        assert frames[0]["type"] == "error"


async def test_garbage_frames_on_an_open_socket_are_answered_and_it_stays_open(
    ws_url: str, login_as: LoginAs
) -> None:
    agent = await login_as("agent", extensions=["1001"])
    async with connect(f"{ws_url}/ws/agent") as websocket:
        await websocket.send(json.dumps({"type": "auth", "token": agent.token}))
        assert (await _frame(websocket))["type"] == "hello"
        assert (await _frame(websocket))["type"] == "snapshot"
        for garbage in (b"\x01\x02", "{not json", '"a string"'):
            await websocket.send(garbage)
            assert (await _frame(websocket))["type"] == "error"
        await websocket.send(json.dumps({"type": "dismiss", "linkedid": "x"}))
        await websocket.ping()


async def _open(url: str, who: LoggedIn) -> ClientConnection:
    websocket = await connect(url)
    await websocket.send(json.dumps({"type": "auth", "token": who.token}))
    assert (await _frame(websocket))["type"] == "hello"
    return websocket


async def test_a_deactivated_supervisors_socket_stops_streaming(
    ws_url: str, login_as: LoginAs, api_client: httpx.AsyncClient
) -> None:
    admin = await login_as("admin")
    boss = await login_as("supervisor")
    websocket = await _open(f"{ws_url}/ws/supervisor", boss)
    path = f"/api/users/{boss.user.id}"
    await api_client.patch(path, json={"active": False}, headers=admin.headers)
    frames = await _closed_within(websocket, 10 * EVERY + 2)
    assert frames[-1]["type"] == "error"
    assert "signed out" in frames[-1]["reason"]


async def test_a_password_change_closes_the_agents_open_socket(
    ws_url: str, login_as: LoginAs, api_client: httpx.AsyncClient
) -> None:
    admin = await login_as("admin")
    agent = await login_as("agent", extensions=["1002"])
    websocket = await _open(f"{ws_url}/ws/agent", agent)
    change = {"password": "another-long-secret"}
    await api_client.patch(f"/api/users/{agent.user.id}", json=change, headers=admin.headers)
    frames = await _closed_within(websocket, 10 * EVERY + 2)
    assert frames[-1]["type"] == "error"


async def test_many_open_sockets_are_checked_in_one_query_a_round_and_only_the_revoked_closes(
    ws_url: str, login_as: LoginAs, api_client: httpx.AsyncClient, services: Services
) -> None:
    admin = await login_as("admin")
    agents = [await login_as("agent", extensions=[f"20{n:02d}"]) for n in range(6)]
    rounds: list[int] = []
    check = services.users.revoked_among

    async def counted(tokens: Any) -> Any:
        rounds.append(len(tokens))
        return await check(tokens)

    services.users.revoked_among = counted  # type: ignore[method-assign]
    sockets = [await _open(f"{ws_url}/ws/agent", agent) for agent in agents]
    try:
        await wait_until(lambda: len(rounds) >= 3, 10 * EVERY + 5, "three rounds of checks")
        assert max(rounds) == len(agents)  # every socket's token in one round's one question
        leaver = agents[0]
        await api_client.patch(
            f"/api/users/{leaver.user.id}", json={"active": False}, headers=admin.headers
        )
        frames = await _closed_within(sockets[0], 10 * EVERY + 2)
        assert "signed out" in frames[-1]["reason"]
        checked = len(rounds)
        await wait_until(lambda: len(rounds) >= checked + 2, 10 * EVERY + 5, "two more rounds")
        assert all(websocket.close_code is None for websocket in sockets[1:])
    finally:
        services.users.revoked_among = check  # type: ignore[method-assign]
        for websocket in sockets:
            await websocket.close()


async def test_revoked_among_names_each_token_that_signs_nobody_in_and_why(
    login_as: LoginAs, api_client: httpx.AsyncClient, services: Services
) -> None:
    admin = await login_as("admin")
    kept, gone, changed = [await login_as("agent", extensions=[f"21{n}"]) for n in range(3)]
    headers = admin.headers
    await api_client.patch(f"/api/users/{gone.user.id}", json={"active": False}, headers=headers)
    change = {"password": "another-long-secret"}
    await api_client.patch(f"/api/users/{changed.user.id}", json=change, headers=headers)
    revoked = await services.users.revoked_among([kept.token, gone.token, changed.token, "x.y"])
    assert set(revoked) == {gone.token, changed.token, "x.y"}
    assert "inactive" in str(revoked[gone.token])
    assert "revoked" in str(revoked[changed.token])
    assert "invalid" in str(revoked["x.y"])
