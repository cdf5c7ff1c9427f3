"""`cti serve --role ingest` and two `--role web` replicas as separate processes on one
PostgreSQL database and Redis (no Asterisk here: the ingest's AMI points at a closed port; the
pop path with the sandbox is tests/scale/test_roles_asterisk.py).

What a user relies on: each role says what it runs and answers its health checks; a pop the
ingest publishes is on the screen of an agent connected to either replica, and on a reconnect
to the other; a web replica killed and restarted reads on from the last id it saw; a telephony
action from a web replica reaches the ingest and its refusals stay 409 / 422 / 503."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from websockets.exceptions import ConnectionClosed

from cti.bus.redis import RedisBus
from cti.screenpop.publisher import ScreenPopPublisher
from cti.screenpop.registry import PopRegistry
from cti.state.records import CallEnded, CallRecord, CallRinging
from tests.fixtures.bridge import agent_socket, next_message
from tests.fixtures.processes import ROOT, Deployment, Served
from tests.scale.conftest import add_agents, forget_retained_state, token_from

EXT = "1777"  # an extension no other test's Redis traffic uses
CARD = {"contact": {"first_name": "Ján", "last_name": "Ďurček"}}


def call(linkedid: str, **changes: Any) -> CallRecord:
    values: dict[str, Any] = dict(
        linkedid=linkedid, direction="inbound", caller="+421900123456", caller_name="Ján",
        callee="100", did="100", queue="sales", agents_rang=(), answered_by=None,
        disposition=None, started_at=1.0, answered_at=None, ended_at=None, wait_seconds=None,
        talk_seconds=None, transfers=(), recording=None, route_reason=None,
    )  # fmt: skip
    return CallRecord(**(values | changes))


class Scaled:
    def __init__(self, deployment: Deployment, ingest: Served, web1: Served, web2: Served) -> None:
        self.deployment, self.ingest, self.web1, self.web2 = deployment, ingest, web1, web2
        self.token = ""


@pytest_asyncio.fixture(scope="module")
async def deployment(
    scaled_database: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Scaled]:
    await forget_retained_state(redis_url)
    folder = tmp_path_factory.mktemp("scaled")
    deployment = Deployment(scaled_database, redis_url, folder)
    try:
        ingest = deployment.add("ingest", "ingest")
        # the ingest migrated the database: the web replicas may start
        await asyncio.to_thread(ingest.wait, "/healthz")
        web1, web2 = deployment.add("web1", "web"), deployment.add("web2", "web")
        await asyncio.to_thread(web1.wait, "/readyz")
        await asyncio.to_thread(web2.wait, "/readyz")
        await add_agents(scaled_database, folder, [EXT])
        scaled = Scaled(deployment, ingest, web1, web2)
        scaled.token = token_from(web1.url, f"agent{EXT}")
        yield scaled
    finally:
        await asyncio.to_thread(deployment.stop)


@pytest_asyncio.fixture(scope="module")
async def ingest_bus(redis_url: str) -> AsyncIterator[RedisBus]:
    """The test's hand on the ingest's publishing side: the real publisher on the Redis bus."""
    bus = RedisBus(redis_url)
    yield bus
    await bus.close()


def publisher(bus: RedisBus) -> ScreenPopPublisher:
    async def lookup(number: str) -> dict[str, Any] | None:
        return CARD

    return ScreenPopPublisher(bus, lookup, PopRegistry())


async def pops_on_connect(served: Served, token: str) -> list[dict[str, Any]]:
    async with agent_socket(served.ws_url, token) as websocket:
        assert (await next_message(websocket))["type"] == "hello"
        snapshot = await next_message(websocket)
        assert snapshot["type"] == "snapshot"
        return list(snapshot["pops"])


def test_each_role_says_what_it_runs_and_answers_its_health_checks(deployment: Scaled) -> None:
    ingest_log = deployment.ingest.log.read_text()
    assert "role ingest: AMI, tracker, call log, routing hook" in ingest_log
    assert "connects to database 127.0.0.1" in ingest_log
    assert "AMI 127.0.0.1:1" in ingest_log
    assert "role web: API, pages and websockets" in deployment.web1.log.read_text()
    for served in (deployment.ingest, deployment.web1, deployment.web2):
        assert httpx.get(served.url + "/healthz").json() == {"status": "alive", "role": served.role}
    not_ready = httpx.get(deployment.ingest.url + "/readyz")
    assert not_ready.status_code == 503
    assert not_ready.json()["failing"] == ["ami"]
    assert not_ready.json()["lease"] == "active"  # the only ingest took the lease at start
    assert "AMI is" in not_ready.json()["checks"]["ami"]
    ready = httpx.get(deployment.web2.url + "/readyz").json()
    assert ready == {
        "ready": True, "role": "web", "failing": [], "checks": {"database": "ok", "bus": "ok"}
    }  # fmt: skip
    assert httpx.get(deployment.ingest.url + "/api/contacts").status_code == 404  # no CRM API


async def test_a_web_replica_whose_redis_is_away_is_not_ready_and_says_so(
    deployment: Scaled,
) -> None:
    web = deployment.deployment.add("web-nobus", "web", CTI_BUS_URL="redis://127.0.0.1:1/0")
    try:
        answer = await asyncio.to_thread(web.wait, "/readyz", 503)
        assert answer.json()["failing"] == ["bus"]
        assert "Connect" in answer.json()["checks"]["bus"]
        token = token_from(web.url, f"agent{EXT}")  # the database is there: sign-in works
        async with agent_socket(web.ws_url, token) as websocket:
            refused = await next_message(websocket)
            assert refused["type"] == "error"
            assert "the live state is not reachable" in refused["reason"]
            with pytest.raises(ConnectionClosed) as closed:
                await next_message(websocket)
            assert closed.value.rcvd is not None
            assert closed.value.rcvd.code == 1013  # try again later (the page backs off)
        headers = {"Authorization": f"Bearer {token}"}
        async with httpx.AsyncClient(base_url=web.url, headers=headers) as client:
            state = await client.get("/api/agents/me/state")
            assert state.status_code == 503
            assert "Redis is not reachable" in state.json()["detail"]
    finally:
        await asyncio.to_thread(web.stop)


def test_a_web_replica_without_a_shared_bus_is_refused_at_start(deployment: Scaled) -> None:
    env = deployment.deployment.env(CTI_BUS_URL="memory://")
    command = [sys.executable, "-m", "cti.cli", "serve", "--role", "web"]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, timeout=60)
    assert done.returncode == 2
    assert b"--role web needs a bus shared with the other processes" in done.stderr


async def test_a_pop_reaches_either_replica_and_a_reconnect_to_the_other(
    deployment: Scaled, ingest_bus: RedisBus
) -> None:
    pops = publisher(ingest_bus)
    async with agent_socket(deployment.web2.ws_url, deployment.token) as websocket:
        assert (await next_message(websocket))["type"] == "hello"
        assert (await next_message(websocket))["pops"] == []
        await pops.handle([CallRinging(call("scale.1"), (EXT,), 1.0)])
        ring = await next_message(websocket, timeout=10)
    assert (ring["type"], ring["linkedid"], ring["card"]) == ("ring", "scale.1", CARD)
    # the browser comes back on the other replica: the pop is still on its screen
    assert [
        (p["type"], p["linkedid"]) for p in await pops_on_connect(deployment.web1, deployment.token)
    ] == [("ring", "scale.1")]
    await pops.handle([CallEnded(call("scale.1", disposition="missed", ended_at=5.0))])
    assert await pops_on_connect(deployment.web2, deployment.token) == []


async def test_a_killed_web_replica_reads_on_from_its_last_id(
    deployment: Scaled, ingest_bus: RedisBus
) -> None:
    web1, headers = deployment.web1, {"Authorization": f"Bearer {deployment.token}"}
    pops = publisher(ingest_bus)
    await pops.handle([CallRinging(call("scale.2"), (EXT,), 1.0)])
    status = await _bus_status(web1, headers, lambda bus: bus["last_id"] is not None)
    seen_before = status["last_id"]
    web1.kill()
    for n in range(3):  # published while the replica is down
        await ingest_bus.publish(f"agent.{EXT}", {"type": "callback_waiting", "n": n})
    web1.start()
    await asyncio.to_thread(web1.wait, "/readyz")
    after = await _bus_status(web1, headers, lambda bus: bus["delivered"] >= 3)
    assert after["resumed_from"] == seen_before
    assert after["delivered"] >= 3  # the three it missed, read from the stream
    assert [p["linkedid"] for p in await pops_on_connect(web1, deployment.token)] == ["scale.2"]
    await pops.handle([CallEnded(call("scale.2", disposition="missed", ended_at=5.0))])


async def test_telephony_from_a_web_replica_goes_to_the_ingest_and_its_refusals_stay_clear(
    deployment: Scaled,
) -> None:
    headers = {"Authorization": f"Bearer {deployment.token}"}
    async with httpx.AsyncClient(base_url=deployment.web2.url, headers=headers) as web:
        state = await web.get("/api/agents/me/state")
        assert state.status_code == 200
        assert state.json()["extension"] == EXT
        assert state.json()["queues"] == []
        empty = await web.post("/api/agents/me/pause", json={"reason": ""})
        assert empty.status_code == 422
        assert empty.json()["detail"][0]["loc"][-1] == "reason"
        unknown = await web.post("/api/agents/me/pause", json={"reason": "nap"})  # the ingest's
        assert unknown.status_code == 422, unknown.text
        (item,) = unknown.json()["detail"]
        assert (item["loc"], item["code"]) == (["body", "reason"], "unknown_pause_reason")
        away = await web.post("/api/agents/me/pause", json={"reason": "lunch"})
        assert away.status_code == 503, away.text
        assert "Asterisk is not reachable" in away.json()["detail"]
        bad_number = await web.post("/api/agents/me/calls", json={"number": "12"})
        assert bad_number.status_code == 422, bad_number.text
        (item,) = bad_number.json()["detail"]
        assert (item["loc"], item["code"]) == (["body", "number"], "not_dialable")
        deployment.ingest.kill()
        try:
            nobody = await web.post("/api/agents/me/pause", json={"reason": "lunch"})
            assert nobody.status_code == 503
            assert "no ingest answered within 3 s" in nobody.json()["detail"]
            assert nobody.json()["code"] == "pbx_unavailable"
        finally:
            deployment.ingest.start()
            await asyncio.to_thread(deployment.ingest.wait, "/healthz")


async def _bus_status(served: Served, headers: dict[str, str], until: Any) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=served.url, headers=headers) as client:
        for _ in range(100):
            bus = (await client.get("/api/bridge/status")).json()["bus"]
            if until(bus):
                return dict(bus)
            await asyncio.sleep(0.1)
    raise AssertionError(f"{served.name}'s bus reader: {bus}")
