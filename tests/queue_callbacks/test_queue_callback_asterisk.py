"""Queue call-back against the sandbox Asterisk with a real bridge: a PJSIP caller from the
carrier waits in `sales` (every member paused), presses 1 (RFC 4733 DTMF from the sandbox's own
user agent, on the early media the queue opens), leaves the queue and hangs up. The bridge keeps
the place (the supervisors' snapshot shows it), and once a member is free it rings the agent's
phone, then the caller: the call-back call is its own record, linked to the first."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import select

from crm_core.models import Call, QueueCallback, Task
from crm_core.models.enums import Role
from crm_core.services import Services
from crm_core.settings import CrmSettings
from cti.sandbox.ami import AmiClient
from cti.sandbox.manager import ConnectionInfo
from cti.sandbox.settings import SandboxSettings
from cti.sandbox.sim.scenario_kit import talk
from cti.sandbox.sim.world import World, open_world
from cti.sandbox.sip.calls import NO_ANSWER, AnswerPlan
from tests.fixtures.bridge import RunningBridge, bridge_settings, serve_bridge, wait_until
from tests.fixtures.db import MakeUser

pytestmark = pytest.mark.asterisk
SALES = ("PJSIP/1001", "PJSIP/1002", "PJSIP/1003")
CALLER = "+420777555222"


@pytest_asyncio.fixture
async def fast_bridge(
    crm_settings: CrmSettings, services: Services, asterisk: ConnectionInfo
) -> AsyncIterator[RunningBridge]:
    settings = bridge_settings(
        asterisk, queue_callback_poll_seconds=0.3, queue_callback_attempts=2,
        queue_callback_retry_seconds=1.0,
    )  # fmt: skip
    async with serve_bridge(crm_settings, settings, services) as running:
        yield running


@pytest_asyncio.fixture
async def simulator() -> AsyncIterator[AmiClient]:
    client = await AmiClient.connect(SandboxSettings.from_env().account("simulator"), events="off")
    for interface in SALES:
        await client.action("QueuePause", Interface=interface, Paused="true", Reason="meeting")
    yield client
    for interface in SALES:
        with contextlib.suppress(Exception):
            await client.action("QueuePause", Interface=interface, Paused="false")
    await client.close()


@pytest_asyncio.fixture
async def world() -> AsyncIterator[World]:
    async with open_world(SandboxSettings.from_env(), stub_agi=False) as opened:
        yield opened


async def _press_one_in_queue(bridge: RunningBridge, world: World) -> str:
    """The caller joins sales, presses 1 and is hung up after the thank-you; its linkedid."""
    dialog = await world.carrier.call("100", CALLER, "Waiting Caller")
    live = bridge.bridge.stats.stats.live
    await wait_until(lambda: bool(live["sales"].waiting), 15, "the caller in the queue")
    [waiting] = live["sales"].waiting.values()
    await wait_until(lambda: dialog.dtmf_payload is not None, 5, "early media")
    await dialog.press("1")
    await asyncio.wait_for(dialog.ended.wait(), 15)
    return waiting.linkedid


async def _place(services: Services, linkedid: str) -> QueueCallback | None:
    async with services.sessions() as session:
        found: QueueCallback | None = await session.scalar(
            select(QueueCallback).where(QueueCallback.call_linkedid == linkedid)
        )
        return found


async def _until_place(services: Services, linkedid: str, status: str, timeout: float) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        place = await _place(services, linkedid)
        if place is not None and place.status == status:
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"place of {linkedid} never {status}: {await _place(services, linkedid)}")


async def _calls(services: Services) -> list[Call]:
    async with services.sessions() as session:
        return list(await session.scalars(select(Call).order_by(Call.started_at)))


async def test_a_caller_who_presses_1_keeps_the_place_and_is_called_back_by_a_free_agent(
    fast_bridge: RunningBridge, services: Services, simulator: AmiClient, world: World
) -> None:
    rung: list[str] = []

    def planner(extension: str) -> AnswerPlan:
        rung.append(extension)
        return talk(3, answer_after=1)

    world.phones.planner = planner
    world.carrier.plans[CALLER] = talk(2, answer_after=1)
    linkedid = await _press_one_in_queue(fast_bridge, world)
    await _until_place(services, linkedid, "waiting", 15)

    def sales() -> dict[str, Any]:
        snapshot = fast_bridge.bridge.stats.current()
        return next(q for q in snapshot["queues"] if q["name"] == "sales")

    await wait_until(lambda: sales()["virtual_callers"], 5, "the kept place on the snapshot")
    [kept] = sales()["virtual_callers"]
    assert (kept["caller"], kept["position"], kept["status"]) == (CALLER, 1, "waiting")
    assert sales()["waiting"] == 0, "the caller is off the line"
    await asyncio.sleep(1.5)
    assert rung == [], "nobody is free: nobody is dialled"

    await simulator.action("QueuePause", Interface="PJSIP/1002", Paused="false")
    await _until_place(services, linkedid, "answered", 40)
    await world.wait_idle(timeout=30)
    await fast_bridge.bridge.pipeline.drain()

    assert rung[:1] == ["1002"], "the free agent's phone rings first"
    first, back = [c for c in await _calls(services) if linkedid in (c.linkedid, c.callback_of)]
    assert (first.linkedid, first.disposition, first.queue) == (
        linkedid,
        "callback_requested",
        "sales",
    )
    assert first.queued_at is not None
    assert first.answered_by == ""
    assert (back.callback_of, back.direction, back.disposition) == (
        linkedid,
        "outbound",
        "answered",
    )
    assert back.external_e164 == CALLER
    place = await _place(services, linkedid)
    assert place is not None
    assert (place.attempts, place.extension) == (1, "1002")
    assert world.carrier.ua.dialogs == {}
    assert rung.count("1002") == 1


async def test_a_caller_who_never_answers_is_tried_again_then_gets_a_call_back_task(
    fast_bridge: RunningBridge, services: Services, simulator: AmiClient, world: World,
    make_user: MakeUser,
) -> None:  # fmt: skip
    await make_user(Role.SUPERVISOR)
    world.phones.planner = lambda _extension: talk(4, answer_after=0.5)
    world.carrier.plans[CALLER] = NO_ANSWER
    linkedid = await _press_one_in_queue(fast_bridge, world)
    await _until_place(services, linkedid, "waiting", 15)
    await simulator.action("QueuePause", Interface="PJSIP/1003", Paused="false")

    await _until_place(services, linkedid, "task", 60)
    await world.wait_idle(timeout=30)
    await fast_bridge.bridge.pipeline.drain()
    backs = [c for c in await _calls(services) if c.callback_of == linkedid]
    assert [c.disposition for c in backs] == ["missed", "missed"], "two attempts, as configured"
    place = await _place(services, linkedid)
    assert place is not None
    assert place.attempts == 2
    assert place.task_id is not None
    async with services.sessions() as session:
        task = await session.get(Task, place.task_id)
    assert task is not None
    assert task.kind == "callback"
    assert CALLER in task.subject
