"""`cti record` writes the raw AMI stream: whole messages, parseable, with the call's events."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from cti.sandbox.ami import TERMINATOR, parse_message
from cti.sandbox.manager import ConnectionInfo, Sandbox
from cti.sandbox.recorder import RawRecorder
from cti.sandbox.sim.recording import call_linkedids
from cti.sandbox.sim.world import open_world
from cti.sandbox.sip.calls import AnswerPlan

pytestmark = pytest.mark.asterisk


async def test_recorder_writes_a_parseable_stream(
    asterisk: ConnectionInfo, sandbox: Sandbox, tmp_path: Path
) -> None:
    path = tmp_path / "call.ami"
    recorder = RawRecorder(sandbox.settings.account("recorder"), path)
    async with open_world(sandbox.settings) as world:
        world.phones.plans["1001"] = AnswerPlan(answer_after=0.5, talk=1)
        await asyncio.sleep(1)  # registrations settle, as every scenario waits
        await recorder.start()
        dialog = await world.carrier.call("1001", "+420601555003", "Řehoř Žák")
        await asyncio.wait_for(dialog.ended.wait(), 15)
        await world.wait_idle(timeout=10)
        await recorder.stop()
    raw = path.read_bytes()
    assert raw.endswith(TERMINATOR)
    messages = [parse_message(block) for block in raw.split(TERMINATOR) if block.strip()]
    assert messages[0] == {"Response": "Success", "Message": "Authentication accepted"}
    events = [m for m in messages if "Event" in m]
    assert len(events) == len(messages) - 1
    hangups = [e["Channel"] for e in events if e["Event"] == "Hangup"]
    assert any(channel.startswith("PJSIP/1001-") for channel in hangups)
    assert "CallerIDName: Řehoř Žák".encode() in raw


def test_a_pickups_helper_dial_is_not_counted_as_a_call() -> None:
    recorded = Path(__file__).resolve().parents[1] / "scenarios" / "pickup_group.ami"
    assert len(call_linkedids(recorded.read_bytes())) == 1
