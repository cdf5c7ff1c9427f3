"""The bridge's AMI user sees a filtered stream (manager.conf eventfilter): same records."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cti.ami.recorded import parse_ami_text
from cti.state.channels import VARIABLES_READ
from cti.state.events import AmiEvent
from tests.state.helpers import ended_records
from tests.state.scenarios import SCENARIOS, load, scenario_names

MANAGER_CONF = Path(__file__).resolve().parents[2] / "dialplans" / "asterisk" / "manager.conf"
_NAME = re.compile(r"^eventfilter\(name\((\w+)\)\)\s*=", re.M)
_VARSET = re.compile(
    r"^eventfilter\(name\(VarSet\),header\(Variable\),method\(regex\)\)\s*=\s*(.+)$", re.M
)


def bridge_filter() -> tuple[set[str], re.Pattern[str]]:
    text = MANAGER_CONF.read_text().split("[monitor]")[0]  # the [cti] user's section
    variables = _VARSET.search(text)
    return set(_NAME.findall(text)), re.compile(variables.group(1).strip() if variables else "$^")


def seen_by_bridge(events: list[AmiEvent]) -> list[AmiEvent]:
    names, variables = bridge_filter()
    return [
        e for e in events
        if e.name in names or (e.name == "VarSet" and variables.search(e.get("Variable")))
    ]  # fmt: skip


@pytest.mark.skipif(not MANAGER_CONF.exists(), reason="no manager.conf in dialplans/")
@pytest.mark.parametrize("name", scenario_names())
def test_filtered_stream_gives_the_same_records(name: str) -> None:
    scenario = load(name)
    full = [r.as_dict() for r in ended_records(scenario.events, scenario.config)]
    filtered = seen_by_bridge(scenario.events)
    assert len(filtered) < len(scenario.events)
    assert [r.as_dict() for r in ended_records(filtered, scenario.config)] == full


@pytest.mark.parametrize("name", scenario_names())
def test_the_readers_varset_skip_gives_the_same_records(name: str) -> None:
    """The live reader drops VarSets the tracker does not read (a PBX without the filter)."""
    scenario = load(name)
    full = [r.as_dict() for r in ended_records(scenario.events, scenario.config)]
    raw = (SCENARIOS / f"{name}.ami").read_bytes()
    kept = parse_ami_text(raw, VARIABLES_READ)
    unread = [
        e for e in scenario.events if e.name == "VarSet" and e.get("Variable") not in VARIABLES_READ
    ]
    assert len(kept) < len(scenario.events) or not unread
    assert [r.as_dict() for r in ended_records(kept, scenario.config)] == full
