"""/ws/supervisor on a real server: roles, the first snapshot, coalescing under a burst."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest_asyncio
import uvicorn
from websockets.asyncio.client import ClientConnection, connect

from crm_core.services import Services
from crm_core.settings import CrmSettings
from cti.app import create_app
from cti.bus.base import SUPERVISOR_TOPIC
from cti.bus.memory import MemoryBus
from cti.stats.calculator import QueueStats
from cti.web.supervisor_ws import supervisor_router
from tests.fixtures.bridge import free_port, wait_until
from tests.fixtures.db import LoginAs
from tests.stats.helpers import join


class Served:
    def __init__(self, url: str, bus: MemoryBus) -> None:
        self.url, self.bus = url, bus


@pytest_asyncio.fixture
async def served(crm_settings: CrmSettings, services: Services) -> AsyncIterator[Served]:
    bus, stats = MemoryBus(), QueueStats()
    stats.apply(join("sales", "w1", 1000.0))

    async def current() -> dict[str, object]:
        return stats.snapshot(1010.0)

    router = supervisor_router(bus, current)
    app = create_app(crm_settings, services=services, extra_routers=[router], static_dir=None)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    await wait_until(lambda: server.started, 15, "the server")
    try:
        yield Served(f"ws://127.0.0.1:{port}/ws/supervisor", bus)
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 20)


@contextlib.asynccontextmanager
async def signed_in(url: str, token: str) -> AsyncIterator[ClientConnection]:
    async with connect(url) as websocket:
        await websocket.send(json.dumps({"type": "auth", "token": token}))
        yield websocket


async def receive(websocket: ClientConnection, timeout: float = 5) -> dict[str, Any]:
    frame: dict[str, Any] = json.loads(await asyncio.wait_for(websocket.recv(), timeout))
    return frame


async def test_an_agent_is_refused(served: Served, login_as: LoginAs) -> None:
    agent = await login_as("agent", extensions=["1001"])
    async with signed_in(served.url, agent.token) as websocket:
        error = await receive(websocket)
        assert error["type"] == "error"
        assert "supervisors and admins" in error["reason"]
        await websocket.wait_closed()
        assert websocket.close_code == 1008


async def test_a_bad_token_is_refused(served: Served) -> None:
    async with signed_in(served.url, "not-a-token") as websocket:
        assert (await receive(websocket))["type"] == "error"
        await websocket.wait_closed()
        assert websocket.close_code == 1008


async def test_supervisor_gets_a_full_snapshot_first(served: Served, login_as: LoginAs) -> None:
    for role in ("supervisor", "admin"):
        me = await login_as(role)
        async with signed_in(served.url, me.token) as websocket:
            assert (await receive(websocket))["type"] == "hello"
            snapshot = await receive(websocket)
            assert snapshot["type"] == "snapshot"
            sales = next(q for q in snapshot["queues"] if q["name"] == "sales")
            assert (sales["waiting"], sales["longest_wait"], sales["offered"]) == (1, 10.0, 1)


async def test_a_burst_is_coalesced_to_two_frames_a_second(
    served: Served, login_as: LoginAs
) -> None:
    me = await login_as("supervisor")
    async with signed_in(served.url, me.token) as websocket:
        await receive(websocket)  # hello
        await receive(websocket)  # the first snapshot
        for seq in range(200):  # 200 updates in ~1 s
            await served.bus.publish(SUPERVISOR_TOPIC, {"type": "snapshot", "seq": seq})
            await asyncio.sleep(0.005)
        frames: list[dict[str, Any]] = []
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 2.0
        with contextlib.suppress(TimeoutError):
            while (left := deadline - loop.time()) > 0:
                frames.append(await receive(websocket, left))
    # the burst plus 2 s of quiet spans ~3 s: at most 2 frames a second, and the last one wins
    assert 2 <= len(frames) <= 7, [f["seq"] for f in frames]
    assert frames[-1]["seq"] == 199
    seqs = [f["seq"] for f in frames]
    assert seqs == sorted(seqs)
