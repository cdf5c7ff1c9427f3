"""The phones' own features against the real Asterisk, today: SIP REFER transfers (attended and
blonde), a 302 forward, a directed pickup, hold, and dialling a parking space. Each scenario is
played live on the sandbox, recorded unfiltered as `cti record` does, and the tracker must give
the scenario's expected records, so a change in the user agent or the dialplan that breaks a flow
fails here, not only at the next re-recording."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from cti.ami.recorded import parse_ami_text
from cti.sandbox.manager import ConnectionInfo, Sandbox
from cti.sandbox.recorder import RawRecorder
from cti.sandbox.sim.recording import AGENTS_REGEX, call_linkedids
from cti.sandbox.sim.scenarios import SCENARIOS
from cti.sandbox.sim.world import open_world
from cti.state.config import TrackerConfig
from tests.state.helpers import ended_records
from tests.state.scenarios import matches

pytestmark = pytest.mark.asterisk

LIVE = (
    "refer_attended_transfer",
    "refer_blonde_transfer",
    "sip_302_forward",
    "pickup_directed",
    "hold_and_resume",
    "park_retrieved_by_dialling",
)


@pytest.mark.parametrize("name", LIVE)
async def test_a_phone_made_flow_gives_its_records_live(
    asterisk: ConnectionInfo, sandbox: Sandbox, tmp_path: Path, name: str
) -> None:
    scenario = SCENARIOS[name]
    path = tmp_path / f"{name}.ami"
    recorder = RawRecorder(sandbox.settings.account("recorder"), path)
    async with open_world(sandbox.settings) as world:
        await asyncio.sleep(1)  # registrations settle, as every recording waits
        await recorder.start()
        await asyncio.wait_for(scenario.script(world), 60)
        await world.wait_idle(timeout=30)
        await asyncio.sleep(0.5)
        await recorder.stop()
    raw = path.read_bytes()
    assert len(call_linkedids(raw)) == len(scenario.expected), "business calls counted"
    config = TrackerConfig(agent_regex=AGENTS_REGEX)
    actual = [record.as_dict() for record in ended_records(parse_ami_text(raw), config)]
    unmatched = list(actual)
    for expected in scenario.expected:
        found = next((record for record in unmatched if matches(record, expected)), None)
        shown = [{key: record.get(key) for key in expected} for record in unmatched]
        assert found is not None, (
            f"{name}: no record matches\n{json.dumps(expected, indent=1, ensure_ascii=False)}\n"
            f"candidates:\n{json.dumps(shown, indent=1, default=str, ensure_ascii=False)}"
        )
        unmatched.remove(found)
    assert not unmatched, f"{name}: extra records {json.dumps(unmatched, default=str)}"
