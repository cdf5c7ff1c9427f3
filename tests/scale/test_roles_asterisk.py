"""The pop path scaled out, on the sandbox Asterisk: `cti serve --role ingest` connected to it and
two `--role web` replicas, separate processes on one PostgreSQL database and Redis.

A client rings the `sales` queue: agent 1001, connected to web replica 2, gets the pop of the call
the ingest saw; web replica 2 is killed while the phone rings, the page reconnects to replica 1
and is shown the pop; the agent pauses through replica 1 (the request goes to the ingest, Asterisk
confirms, the new state comes back over the bus); the caller gives up and the pop is withdrawn."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from websockets.asyncio.client import ClientConnection

from cti.sandbox.manager import ConnectionInfo
from cti.sandbox.settings import SandboxSettings
from cti.sandbox.sim.scenario_kit import CUSTOMER, CUSTOMER_NAME, SALES
from cti.sandbox.sim.world import open_world
from cti.sandbox.sip.calls import NO_ANSWER
from tests.fixtures.bridge import agent_socket, next_message
from tests.fixtures.processes import Deployment, Served
from tests.scale.conftest import add_agents, forget_retained_state, token_from

pytestmark = pytest.mark.asterisk
AGENTS = ["1001", "1002", "1003"]


@pytest_asyncio.fixture(scope="module")
async def replicas(
    scaled_database: str, redis_url: str, asterisk: ConnectionInfo,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[tuple[Served, Served, Served]]:  # fmt: skip
    await forget_retained_state(redis_url)
    folder = tmp_path_factory.mktemp("scaled-asterisk")
    deployment = Deployment(scaled_database, redis_url, folder)
    deployment.ami = (asterisk.host, asterisk.port, asterisk.user, asterisk.secret)
    try:
        ingest = deployment.add("ingest", "ingest")
        await asyncio.to_thread(ingest.wait, "/readyz")  # AMI connected
        web1, web2 = deployment.add("web1", "web"), deployment.add("web2", "web")
        await add_agents(scaled_database, folder, AGENTS)
        await asyncio.to_thread(web1.wait, "/readyz")
        await asyncio.to_thread(web2.wait, "/readyz")
        yield ingest, web1, web2
    finally:
        await asyncio.to_thread(deployment.stop)


async def until_frame(
    websocket: ClientConnection, wanted: Any, timeout: float = 30
) -> dict[str, Any]:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        left = deadline - asyncio.get_running_loop().time()
        assert left > 0, "the frame did not come"
        frame = await next_message(websocket, timeout=left)
        if wanted(frame):
            return frame


async def test_a_pop_survives_the_replica_the_agent_was_on(
    replicas: tuple[Served, Served, Served],
) -> None:
    _ingest, web1, web2 = replicas
    token = token_from(web1.url, "agent1001")
    async with open_world(SandboxSettings.from_env(), stub_agi=None) as world:
        world.phones.plans.update({ext: NO_ANSWER for ext in AGENTS})
        async with agent_socket(web2.ws_url, token) as on_web2:
            assert (await next_message(on_web2))["type"] == "hello"
            assert (await next_message(on_web2))["type"] == "snapshot"
            dialog = await world.carrier.call(SALES, CUSTOMER, CUSTOMER_NAME)
            ring = await until_frame(on_web2, lambda f: f["type"] == "ring")
        assert ring["call"]["caller"].endswith(CUSTOMER.removeprefix("+"))
        web2.kill()  # while the phone rings
        async with agent_socket(web1.ws_url, token) as on_web1:
            assert (await next_message(on_web1))["type"] == "hello"
            snapshot = await next_message(on_web1)
            assert [(p["type"], p["linkedid"]) for p in snapshot["pops"]] == [
                ("ring", ring["linkedid"])
            ]
            headers = {"Authorization": f"Bearer {token}"}
            async with httpx.AsyncClient(base_url=web1.url, headers=headers) as web:
                paused = await web.post("/api/agents/me/pause", json={"reason": "lunch"})
                assert paused.status_code == 202, paused.text
                state = await until_frame(
                    on_web1,
                    lambda f: f["type"] == "agent_state" and any(q["paused"] for q in f["queues"]),
                )
                assert {q["pause_reason"] for q in state["queues"]} == {"lunch"}
                await world.carrier.hang_up(dialog)
                gone = await until_frame(on_web1, lambda f: f["type"] == "withdraw")
                assert gone["linkedid"] == ring["linkedid"]
                assert (await web.delete("/api/agents/me/pause")).status_code == 202
                mine = (await web.get("/api/agents/me/state")).json()
                assert mine["extension"] == "1001"
        web2.start()
        await asyncio.to_thread(web2.wait, "/readyz")
        async with agent_socket(web2.ws_url, token) as back:
            assert (await next_message(back))["type"] == "hello"
            assert (await next_message(back))["pops"] == []  # withdrawn: nothing left to show
