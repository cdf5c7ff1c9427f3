"""Every recorded scenario is there, with a sidecar whose call records match the recording."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cti.sandbox.sim.recording import call_linkedids
from cti.sandbox.sim.scenarios import SCENARIOS

SCENARIO_DIR = Path(__file__).resolve().parents[1] / "scenarios"
DIRECTIONS = {"inbound", "outbound", "internal"}
DISPOSITIONS = {"answered", "missed", "abandoned", "busy", "failed", "callback_requested"}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scenario_has_recording_and_sidecar(name: str) -> None:
    raw = (SCENARIO_DIR / f"{name}.ami").read_bytes()
    sidecar = json.loads((SCENARIO_DIR / f"{name}.json").read_text(encoding="utf-8"))
    agents = re.compile(sidecar["agents_regex"])
    assert sidecar["description"]
    assert [record["linkedid"] for record in sidecar["expected"]] == call_linkedids(raw)
    for record in sidecar["expected"]:
        assert record["direction"] in DIRECTIONS
        assert record["disposition"] in DISPOSITIONS
        assert all(agents.match(f"PJSIP/{agent}-0000") for agent in record["agents_rang"])


def test_readme_lists_every_scenario() -> None:
    readme = (SCENARIO_DIR / "README.md").read_text(encoding="utf-8")
    missing = [name for name in SCENARIOS if f"`{name}`" not in readme]
    assert not missing
