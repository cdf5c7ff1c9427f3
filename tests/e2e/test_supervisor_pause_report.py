"""Pause time in reports from real Asterisk events: an agent is paused from outside the bridge
(AMI QueuePause, as a phone or another tool would), resumes, and the agent report shows it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import func, select

from crm_core.models import AgentEvent
from crm_core.models.enums import Role
from crm_core.services import Services
from cti.sandbox.ami import AmiClient
from cti.sandbox.settings import SandboxSettings
from tests.fixtures.bridge import RunningBridge, wait_until
from tests.fixtures.db import MakeUser

pytestmark = pytest.mark.asterisk
PAUSED_FOR = 3.0


async def stored(services: Services) -> int:
    async with services.sessions() as session:
        return int(await session.scalar(select(func.count(AgentEvent.id))) or 0)


async def report(bridge: RunningBridge, services: Services, make_user: MakeUser) -> dict[str, dict]:
    user, password = await make_user(Role.SUPERVISOR)
    token = (await services.users.login(user.login, password)).access_token
    now = datetime.now(UTC)
    period = {
        "from": (now - timedelta(hours=1)).isoformat(),
        "to": (now + timedelta(hours=1)).isoformat(),
    }
    async with httpx.AsyncClient(base_url=bridge.url, timeout=10) as client:
        response = await client.get(
            "/api/reports/agents", params=period, headers={"Authorization": f"Bearer {token}"}
        )
    assert response.status_code == 200, response.text
    return {row["key"]: row for row in response.json()["rows"]}


async def test_a_pause_made_in_asterisk_shows_in_the_agent_report(
    running_bridge: RunningBridge, services: Services, make_user: MakeUser
) -> None:
    bridge = running_bridge.bridge
    await wait_until(bridge.telephony.feed.refreshed.is_set, 15, "the QueueStatus listing")
    ami = await AmiClient.connect(SandboxSettings.from_env().account("simulator"), events="off")
    try:
        await ami.action("QueuePause", Interface="PJSIP/1005", Paused="true", Reason="training")
        await asyncio.sleep(PAUSED_FOR)
        await ami.action("QueuePause", Interface="PJSIP/1005", Paused="false")
        await asyncio.sleep(0.5)
    finally:
        await ami.action("QueuePause", Interface="PJSIP/1005", Paused="false")
        await ami.close()
    await bridge.agent_log.stage.drain()
    rows = await report(running_bridge, services, make_user)
    eve = rows["1005"]
    assert eve["pause_reasons"]["training"] == pytest.approx(PAUSED_FOR, abs=1)
    assert eve["pause_seconds"] == sum(eve["pause_reasons"].values())
    assert eve["login_seconds"] >= PAUSED_FOR  # a static member of support, seen since the start
    assert rows["1004"]["pause_seconds"] == 0

    # a restart of the bridge and its resync store nothing twice
    count = await stored(services)
    await bridge.agent_log.stop()
    await bridge.agent_log.start()
    await bridge.telephony.feed.refresh()
    await bridge.agent_log.stage.drain()
    assert await stored(services) == count
    again = await report(running_bridge, services, make_user)
    assert again["1005"]["pause_reasons"] == eve["pause_reasons"]
