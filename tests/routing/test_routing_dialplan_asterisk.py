"""The dialplan's [cti-route] on the sandbox Asterisk, whatever answers the hook: the bridge's
packed answer (one variable, the reason last and free to hold a `|`) is split into the
CTI_ROUTE_* variables; an older server's variables, set one by one, still route the call."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from cti.sandbox.agi_stub import RouteAnswer, StubAgiServer
from cti.sandbox.manager import ConnectionInfo, Sandbox
from cti.sandbox.sim.world import World, open_world
from cti.sandbox.sip.calls import AnswerPlan
from tests.sandbox.helpers import EventLog, collecting

pytestmark = pytest.mark.asterisk


@pytest.fixture
async def world(asterisk: ConnectionInfo, sandbox: Sandbox) -> AsyncIterator[World]:
    async with open_world(sandbox.settings, stub_agi=False) as opened:
        opened.phones.default_plan = AnswerPlan(answer_after=1, talk=1)
        await asyncio.sleep(0.5)  # queue members turn available once registered
        yield opened
        await opened.wait_idle(timeout=30)


async def _call_answered_by(
    world: World, sandbox: Sandbox, answer: RouteAnswer, caller: str
) -> tuple[EventLog, StubAgiServer]:
    server = StubAgiServer(port=sandbox.settings.agi_port)
    server.answer = answer
    await server.start()
    try:
        async with collecting(sandbox.settings.account("recorder")) as log:
            dialog = await world.carrier.call("100", caller, "Routing Test")
            await asyncio.wait_for(dialog.ended.wait(), 30)
            await asyncio.sleep(0.5)
    finally:
        await server.stop()
    return log, server


def _set(log: EventLog, caller: str) -> dict[str, str]:
    """The variables set on the caller's channel (the last value of each)."""
    events = [e for e in log.named("VarSet") if e.get("CallerIDNum") == caller]
    return {event["Variable"]: event.get("Value", "") for event in events}


def _dials(log: EventLog) -> list[str]:
    return [e.get("AppData", "") for e in log.named("Newexten") if e.get("Application") == "Dial"]


async def test_a_packed_answer_is_split_into_the_route_variables(
    world: World, sandbox: Sandbox
) -> None:
    caller = "+420601555010"
    reason = 'owner "Novák, Petr" (sales | north) free -> ring 1002 for 5 s, then queue sales'
    quoted = reason.replace('"', '\\"')  # as cti.routing.agi.quote sends it, and AMI's VarSet
    # shows it (Asterisk escapes a VarSet's value as C does)
    answer = RouteAnswer({"CTI_ROUTE": f"sales|1002|5|7|||{quoted}"})
    log, server = await _call_answered_by(world, sandbox, answer, caller)
    assert server.requests[0]["agi_arg_4"] == "packed"
    variables = _set(log, caller)
    assert {name: variables.get(name) for name in ("CTI_ROUTE_QUEUE", "CTI_ROUTE_TARGET",
            "CTI_ROUTE_RING", "CTI_ROUTE_PRIO", "CTI_ROUTE_REASON", "QUEUE_PRIO")} == {
        "CTI_ROUTE_QUEUE": "sales", "CTI_ROUTE_TARGET": "1002", "CTI_ROUTE_RING": "5",
        "CTI_ROUTE_PRIO": "7", "CTI_ROUTE_REASON": quoted, "QUEUE_PRIO": "7",
    }  # fmt: skip
    assert "PJSIP/1002,5,t" in _dials(log)
    assert not log.named("QueueCallerJoin")


async def test_variables_set_one_by_one_still_route_the_call(
    world: World, sandbox: Sandbox
) -> None:
    caller = "+420601555011"
    answer = RouteAnswer({"CTI_ROUTE_TARGET": "1002", "CTI_ROUTE_REASON": "an older server"})
    log, _ = await _call_answered_by(world, sandbox, answer, caller)
    assert _set(log, caller)["CTI_ROUTE_REASON"] == "an older server"
    assert "PJSIP/1002,15,t" in _dials(log)
    assert not log.named("QueueCallerJoin")
