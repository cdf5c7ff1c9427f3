"""Calls through the sandbox: the routing hook's fallback, simulated traffic, the event filter."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator

import pytest

from cti.sandbox.agi_stub import RouteAnswer, StubAgiServer
from cti.sandbox.manager import ConnectionInfo, Sandbox
from cti.sandbox.sim.traffic import Traffic, TrafficMix
from cti.sandbox.sim.world import World, open_world
from cti.sandbox.sip.calls import NO_ANSWER, AnswerPlan
from tests.sandbox.helpers import collecting

pytestmark = pytest.mark.asterisk

QUEUE_CALL_EVENTS = {
    "Newchannel",
    "Newstate",
    "DialBegin",
    "DialEnd",
    "BridgeEnter",
    "BridgeLeave",
    "QueueCallerJoin",
    "QueueCallerLeave",
    "AgentCalled",
    "AgentConnect",
    "AgentComplete",
    "Hangup",
}


def _agi_port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


@pytest.fixture
async def world(asterisk: ConnectionInfo, sandbox: Sandbox) -> AsyncIterator[World]:
    async with open_world(sandbox.settings, stub_agi=False) as opened:
        opened.phones.default_plan = AnswerPlan(answer_after=1, talk=2)
        await asyncio.sleep(0.5)  # queue members turn available once registered
        yield opened
        await opened.wait_idle(timeout=30)


async def test_no_routing_server_still_reaches_the_queue(world: World, sandbox: Sandbox) -> None:
    if not _agi_port_is_free(sandbox.settings.agi_port):
        pytest.fail("something listens on the AGI port; this test needs it closed")
    world.phones.plans.update({ext: AnswerPlan(answer_after=1, talk=1) for ext in ("1001", "1002")})
    world.phones.plans["1003"] = NO_ANSWER
    async with collecting(sandbox.settings.account("recorder")) as log:
        dialog = await world.carrier.call("100", "+420601555000", "Fallback Test")
        await log.wait_for("QueueCallerJoin", 10, Queue="sales")
        reason = await log.wait_for("VarSet", 5, Variable="CTI_ROUTE_REASON")
        await asyncio.wait_for(dialog.ended.wait(), 20)
    assert reason["Value"] == "agi-failure"
    assert dialog.final_status == 200


async def test_slow_routing_server_is_cut_after_two_seconds(world: World, sandbox: Sandbox) -> None:
    slow = StubAgiServer(port=sandbox.settings.agi_port)
    slow.answer = RouteAnswer({"CTI_ROUTE_TARGET": "1005"}, delay=6)
    await slow.start()
    world.phones.plans.update({ext: AnswerPlan(answer_after=1, talk=1) for ext in ("1001", "1002")})
    try:
        async with collecting(sandbox.settings.account("recorder")) as log:
            started = time.monotonic()
            dialog = await world.carrier.call("100", "+420601555001", "Slow Router")
            await log.wait_for("QueueCallerJoin", 10, Queue="sales")
            waited = time.monotonic() - started
            reason = await log.wait_for("VarSet", 5, Variable="CTI_ROUTE_REASON")
            await asyncio.wait_for(dialog.ended.wait(), 20)
    finally:
        await slow.stop()
    assert reason["Value"] == "agi-timeout"
    assert 1.5 < waited < 4.5
    assert slow.requests
    assert slow.requests[0]["agi_network_script"] == "route"


async def test_simulated_traffic_produces_queue_call_events(world: World, sandbox: Sandbox) -> None:
    mix = TrafficMix(
        outbound_share=0.2,
        internal_share=0.2,
        impatient_share=0,
        no_answer_share=0,
        answer_after=(0.5, 1.0),
        talk=(1.0, 2.0),
        dids=("100", "200"),
    )
    async with collecting(sandbox.settings.account("recorder")) as log:
        stats = await Traffic(world, mix, seed=7).run(calls=6, rate=2)
        await world.wait_idle(timeout=30)
    assert stats.started == 6
    assert stats.answered == 6
    assert log.names() >= QUEUE_CALL_EVENTS
    assert any(e.get("Channel", "").startswith("PJSIP/trunk-") for e in log.named("Newchannel"))


async def test_the_cti_user_gets_only_filtered_events(world: World, sandbox: Sandbox) -> None:
    world.phones.default_plan = AnswerPlan(answer_after=0.5, talk=1)
    async with (
        collecting(sandbox.settings.ami) as filtered,
        collecting(sandbox.settings.account("recorder")) as everything,
    ):
        dialog = await world.carrier.call("200", "+420601555002", "Filter Test")
        await asyncio.wait_for(dialog.ended.wait(), 20)
        await world.wait_idle(timeout=10)
        await asyncio.sleep(0.5)
    assert "Newexten" in everything.names()
    assert "Newexten" not in filtered.names()
    assert {"Newchannel", "AgentConnect", "Hangup", "BridgeEnter"} <= filtered.names()
    variables = {event["Variable"] for event in filtered.named("VarSet")}
    assert "MIXMONITOR_FILENAME" in variables
    assert variables <= {
        "MIXMONITOR_FILENAME", "CTI_ROUTE_REASON", "CTI_ROUTE_TARGET", "CTI_QUEUE_CALLBACK",
        "CTI_CALLBACK_OF",
    }  # fmt: skip
    assert len(filtered.events) < len(everything.events) / 2
