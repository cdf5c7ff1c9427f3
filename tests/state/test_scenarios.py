"""Every recorded scenario in tests/scenarios: the tracker gives exactly the expected records."""

from __future__ import annotations

import json

import pytest

from tests.state.helpers import ended_records
from tests.state.scenarios import load, matches, scenario_names


@pytest.mark.parametrize("name", scenario_names())
def test_recorded_scenario(name: str) -> None:
    scenario = load(name)
    actual = [r.as_dict() for r in ended_records(scenario.events, scenario.config)]
    unmatched = list(actual)
    for expected in scenario.expected:
        found = next((a for a in unmatched if matches(a, expected)), None)
        shown = [{k: a.get(k) for k in expected} for a in unmatched]
        assert found is not None, (
            f"{name}: no record matches\n{json.dumps(expected, indent=1)}\n"
            f"candidates:\n{json.dumps(shown, indent=1, default=str)}"
        )
        unmatched.remove(found)
    assert not unmatched, f"{name}: unexpected extra records {json.dumps(unmatched, default=str)}"
