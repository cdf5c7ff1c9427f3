"""Agent state through the REST API against the sandbox Asterisk: what the API shows comes from
Asterisk's events, including changes made by another AMI client."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
import pytest_asyncio

from crm_core.models.enums import Role
from crm_core.services import Services
from cti.sandbox.ami import AmiClient
from cti.sandbox.settings import SandboxSettings
from tests.fixtures.bridge import RunningBridge
from tests.fixtures.db import MakeUser

pytestmark = pytest.mark.asterisk
ME = "PJSIP/1007"  # no static queue member in queues.conf
ME_LOCAL = "Local/1007@agents/n"  # how FreePBX and most GUIs add a member
State = dict[str, Any]


@pytest_asyncio.fixture
async def simulator() -> AsyncIterator[AmiClient]:
    client = await AmiClient.connect(SandboxSettings.from_env().account("simulator"), events="off")
    yield client
    for queue in ("sales", "support"):  # leave the sandbox as queues.conf says
        with contextlib.suppress(Exception):
            await client.action("QueueRemove", Queue=queue, Interface=ME)
            await client.action("QueueRemove", Queue=queue, Interface=ME_LOCAL)
    await client.close()


async def _client(bridge: RunningBridge, services: Services, make_user: MakeUser,
                  extensions: list[str]) -> httpx.AsyncClient:  # fmt: skip
    await asyncio.wait_for(bridge.bridge.telephony.feed.refreshed.wait(), 15)
    user, password = await make_user(Role.AGENT, extensions=extensions)
    token = (await services.users.login(user.login, password)).access_token
    headers = {"Authorization": f"Bearer {token}"}
    return httpx.AsyncClient(base_url=bridge.url, headers=headers, timeout=10)


async def _until(api: httpx.AsyncClient, check: Callable[[State], bool], what: str) -> State:
    for _ in range(100):
        state: State = (await api.get("/api/agents/me/state")).json()
        if check(state):
            return state
        await asyncio.sleep(0.1)
    raise AssertionError(f"agent state never showed {what}: {state}")


def _paused(reason: str) -> Callable[[State], bool]:
    return lambda s: [(q["paused"], q["pause_reason"]) for q in s["queues"]] == [(True, reason)]


async def test_login_pause_unpause_logout_and_a_change_made_elsewhere(
    running_bridge: RunningBridge, services: Services, make_user: MakeUser, simulator: AmiClient
) -> None:
    async with await _client(running_bridge, services, make_user, ["1007"]) as api:
        state = (await api.get("/api/agents/me/state")).json()
        assert (state["interface"], state["queues"], state["on_call"]) == (ME, [], False)
        assert "lunch" in state["pause_reasons"]

        assert (await api.post("/api/agents/me/queues/support")).status_code == 202
        await _until(api, lambda s: [q["queue"] for q in s["queues"]] == ["support"], "support")
        assert (await api.post("/api/agents/me/queues/support")).status_code == 409  # already in

        assert (await api.post("/api/agents/me/pause", json={"reason": "lunch"})).status_code == 202
        await _until(api, _paused("lunch"), "the lunch pause")
        assert (await api.post("/api/agents/me/pause", json={"reason": "nap"})).status_code == 422
        assert (await api.delete("/api/agents/me/pause")).status_code == 202
        await _until(api, lambda s: not s["queues"][0]["paused"], "the end of the pause")

        await simulator.action("QueuePause", Interface=ME, Paused="true", Reason="meeting")
        await _until(api, _paused("meeting"), "the pause made by another AMI client")
        await simulator.action("QueuePause", Interface=ME, Paused="false")

        assert (await api.delete("/api/agents/me/queues/support")).status_code == 202
        await _until(api, lambda s: s["queues"] == [], "the logout")


async def test_a_local_channel_membership_is_the_agents_own(
    running_bridge: RunningBridge, services: Services, make_user: MakeUser, simulator: AmiClient
) -> None:
    await simulator.action(
        "QueueAdd", Queue="support", Interface=ME_LOCAL, StateInterface=ME, MemberName="Gina"
    )
    async with await _client(running_bridge, services, make_user, ["1007"]) as api:
        await _until(api, lambda s: [q["queue"] for q in s["queues"]] == ["support"], "support")
        assert (await api.post("/api/agents/me/pause", json={"reason": "lunch"})).status_code == 202
        await _until(api, _paused("lunch"), "the lunch pause of the Local member")
        assert (await api.delete("/api/agents/me/pause")).status_code == 202
        await _until(api, lambda s: not s["queues"][0]["paused"], "the end of the pause")
        assert (await api.delete("/api/agents/me/queues/support")).status_code == 202
        await _until(api, lambda s: s["queues"] == [], "the Local member's logout")


async def test_a_user_without_an_extension_is_refused(
    running_bridge: RunningBridge, services: Services, make_user: MakeUser
) -> None:
    async with await _client(running_bridge, services, make_user, []) as api:
        response = await api.get("/api/agents/me/state")
        assert response.status_code == 409
        assert "no phone extension" in response.json()["detail"]
        assert (await api.post("/api/agents/me/queues/support")).status_code == 409
