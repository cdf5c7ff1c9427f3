"""Listen / whisper / barge against the sandbox: the supervisor's phone rings into ChanSpy on the
agent's call, and every use is in the audit log."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from crm_core.models.enums import Role
from crm_core.services import Services
from crm_core.services.dto import Actor, PageParams
from cti.sandbox.settings import SandboxSettings
from cti.sandbox.sim.scenarios import CUSTOMER, CUSTOMER_NAME, talk
from cti.sandbox.sim.world import World, open_world
from tests.fixtures.bridge import RunningBridge, wait_until
from tests.fixtures.db import MakeUser

pytestmark = pytest.mark.asterisk


async def _api(bridge: RunningBridge, services: Services, make_user: MakeUser, role: Role,
               extensions: list[str]) -> httpx.AsyncClient:  # fmt: skip
    user, password = await make_user(role, extensions=extensions)
    token = (await services.users.login(user.login, password)).access_token
    headers = {"Authorization": f"Bearer {token}"}
    return httpx.AsyncClient(base_url=bridge.url, headers=headers, timeout=10)


async def _spy_channels(world: World) -> list[str]:
    channels = await world.ami.listing("CoreShowChannels")
    return [c.get("Channel", "") for c in channels if c.get("Application") == "ChanSpy"]


@pytest.mark.parametrize("mode", ["listen", "whisper", "barge"])
async def test_a_supervisor_listens_whispers_or_barges_and_it_is_audited(
    running_bridge: RunningBridge, services: Services, make_user: MakeUser, mode: str
) -> None:
    supervisor = await _api(running_bridge, services, make_user, Role.SUPERVISOR, ["1009"])
    agent = await _api(running_bridge, services, make_user, Role.AGENT, ["1006"])
    async with open_world(SandboxSettings.from_env(), stub_agi=False) as world, supervisor, agent:
        world.phones.plans.update({"1001": talk(12, answer_after=1), "1009": talk(4, 1)})
        call = await world.carrier.call("1001", CUSTOMER, CUSTOMER_NAME)
        await wait_until(lambda: call.answered.is_set(), 15, "the agent answering")
        await asyncio.sleep(0.5)
        refused = await agent.post("/api/supervisor/agents/1001/spy", json={"mode": mode})
        assert refused.status_code == 403
        idle = await supervisor.post("/api/supervisor/agents/1002/spy", json={"mode": mode})
        assert idle.status_code == 409
        started = await supervisor.post("/api/supervisor/agents/1001/spy", json={"mode": mode})
        assert started.status_code == 202, started.text
        for _ in range(50):
            if await _spy_channels(world):
                break
            await asyncio.sleep(0.2)
        assert [c.split("-")[0] for c in await _spy_channels(world)] == ["PJSIP/1009"]
        await world.carrier.hang_up(call)
        await world.wait_idle(timeout=30)
    audit = await services.audit.list(Actor.system(), PageParams(), table_name="calls")
    spies = [entry for entry in audit.items if entry.action == "spy"]
    assert [(e.changes["mode"], e.changes["agent"]) for e in spies] == [(mode, "1001")]
    assert spies[0].changes["call"] == started.json()["linkedid"]
