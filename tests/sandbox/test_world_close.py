"""A simulator that stops in the middle of calls ends them: Asterisk is not left holding channels
of a peer that is gone (they would make agents look busy to the next run)."""

from __future__ import annotations

import asyncio

import pytest

from cti.sandbox.manager import ConnectionInfo, Sandbox
from cti.sandbox.sim.world import open_world
from cti.sandbox.sip.calls import AnswerPlan

pytestmark = pytest.mark.asterisk


async def test_closing_the_world_hangs_up_its_calls(
    asterisk: ConnectionInfo, sandbox: Sandbox
) -> None:
    async with open_world(sandbox.settings, stub_agi=False) as world:
        await world.wait_idle(timeout=30)
        world.phones.default_plan = AnswerPlan(answer_after=0.5, talk=None)  # talks until hung up
        ring_only = AnswerPlan(answer_after=None)
        world.phones.plans.update(dict.fromkeys(("1004", "1005", "1006"), ring_only))
        await asyncio.sleep(0.5)
        answered = await world.carrier.call("100", "+420601555111")
        ringing = await world.carrier.call("200", "+420601555222")
        await asyncio.wait_for(answered.answered.wait(), 15)
        assert not ringing.ended.is_set()
        assert await world.active_channels() >= 2
    for _ in range(50):
        if "0 active channels" in sandbox.cli("core show channels count"):
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"calls left up: {sandbox.cli('core show channels')}")
