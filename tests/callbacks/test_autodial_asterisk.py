"""Scheduled call-backs against the sandbox Asterisk with a real bridge: at the due time the
agent's page gets `callback_due`; an auto-dial call-back waits while the agent is paused and,
once Asterisk reports them free, the bridge dials: the agent's SIP phone (sandbox UA) rings."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
import pytest_asyncio

from crm_core.models.enums import Role
from crm_core.services import Services
from crm_core.services.dto import Actor, ContactCreate, PhoneIn
from crm_core.services.dto.callbacks import CallbackCreate, CallbackRange
from crm_core.settings import CrmSettings
from cti.sandbox.ami import AmiClient
from cti.sandbox.manager import ConnectionInfo
from cti.sandbox.settings import SandboxSettings
from cti.sandbox.sim.scenarios import talk
from cti.sandbox.sim.world import open_world
from cti.sandbox.sip.calls import AnswerPlan
from tests.fixtures.bridge import (
    RunningBridge,
    agent_socket,
    bridge_settings,
    next_message,
    serve_bridge,
)
from tests.fixtures.db import MakeUser

pytestmark = pytest.mark.asterisk
EXTENSION, INTERFACE = "1009", "PJSIP/1009"
CLIENT = "+420777555111"


@pytest_asyncio.fixture
async def fast_bridge(
    crm_settings: CrmSettings, services: Services, asterisk: ConnectionInfo
) -> AsyncIterator[RunningBridge]:
    settings = bridge_settings(asterisk, callback_poll_seconds=0.3)
    async with serve_bridge(crm_settings, settings, services) as running:
        yield running


@pytest_asyncio.fixture
async def simulator() -> AsyncIterator[AmiClient]:
    client = await AmiClient.connect(SandboxSettings.from_env().account("simulator"), events="off")
    yield client
    with contextlib.suppress(Exception):
        await client.action("QueueRemove", Queue="support", Interface=INTERFACE)
    await client.close()


async def _until_type(websocket: object, kind: str, timeout: float = 20) -> dict[str, object]:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        left = deadline - asyncio.get_running_loop().time()
        message = await next_message(websocket, max(left, 0.1))  # type: ignore[arg-type]
        if message["type"] == kind:
            return message


async def test_due_notice_then_auto_dial_waits_for_the_pause_to_end_and_rings_the_phone(
    fast_bridge: RunningBridge, services: Services, make_user: MakeUser, simulator: AmiClient
) -> None:
    user, password = await make_user(Role.AGENT, extensions=[EXTENSION])
    me = Actor(id=user.id, login=user.login, role=user.role)
    token = (await services.users.login(user.login, password)).access_token
    contact = await services.contacts.create(
        me, ContactCreate(first_name="Olga", last_name="Veselá", phones=[PhoneIn(number=CLIENT)])
    )
    await simulator.action("QueueAdd", Queue="support", Interface=INTERFACE)
    await simulator.action("QueuePause", Interface=INTERFACE, Paused="true", Reason="lunch")
    rung: list[str] = []

    def planner(extension: str) -> AnswerPlan:
        rung.append(extension)
        return talk(2, answer_after=1)

    async with (
        open_world(SandboxSettings.from_env(), stub_agi=False) as world,
        agent_socket(fast_bridge.ws_url, token) as websocket,
    ):
        world.phones.planner = planner
        world.carrier.plans[CLIENT] = talk(2, answer_after=1)
        due = datetime.now(UTC) + timedelta(seconds=2)
        data = CallbackCreate(contact_id=contact.id, subject="Quote", due_at=due, auto_dial=True)
        planned = await services.callbacks.schedule(me, data)

        notice = await _until_type(websocket, "callback_due")
        assert notice["callback"]["id"] == planned.id  # type: ignore[index]
        waiting = await _until_type(websocket, "callback_waiting")
        assert "waits" in str(waiting["reason"])
        assert rung == [], "a paused agent is not dialled"

        await simulator.action("QueuePause", Interface=INTERFACE, Paused="false")
        dialing = await _until_type(websocket, "callback_dialing")
        assert dialing["extension"] == EXTENSION
        for _ in range(100):
            if rung:
                break
            await asyncio.sleep(0.1)
        assert rung[:1] == [EXTENSION], "the agent's own phone rings first"
        await world.wait_idle(timeout=40)

    await fast_bridge.bridge.pipeline.drain()
    period = CallbackRange(start=due - timedelta(hours=1), end=due + timedelta(hours=1))
    [stored] = await services.callbacks.mine(me, period)
    assert stored.notified_at is not None
    assert stored.dialed_at is not None
    assert stored.done_at is not None, "the answered call closed the call-back"
