"""Recorded scenarios: tests/scenarios/NAME.ami (raw AMI) + NAME.json {description, expected}."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cti.ami.recorded import parse_ami_text
from cti.state.config import DEFAULT_AGENT_REGEX, TrackerConfig
from cti.state.events import AmiEvent

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
TIME_TOLERANCE = 0.5


@dataclass(frozen=True)
class Scenario:
    name: str
    events: list[AmiEvent]
    expected: list[dict[str, Any]]
    agents_regex: str

    @property
    def config(self) -> TrackerConfig:
        return TrackerConfig(agent_regex=self.agents_regex)


def scenario_names() -> list[str]:
    if not SCENARIOS.is_dir():
        return []
    return sorted(p.stem for p in SCENARIOS.glob("*.ami") if p.with_suffix(".json").exists())


def load(name: str) -> Scenario:
    sidecar = json.loads((SCENARIOS / f"{name}.json").read_text())
    events = parse_ami_text((SCENARIOS / f"{name}.ami").read_bytes())
    regex = sidecar.get("agents_regex") or DEFAULT_AGENT_REGEX
    return Scenario(name, events, list(sidecar.get("expected", [])), regex)


def matches(actual: Any, expected: Any) -> bool:
    """Expected values decide the shape: ISO strings for times, numbers within tolerance."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            matches(actual.get(k), v) for k, v in expected.items()
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list | tuple)
            and len(actual) == len(expected)
            and all(matches(a, e) for a, e in zip(actual, expected, strict=True))
        )
    if isinstance(expected, str) and isinstance(actual, int | float):
        return _same_time(actual, expected)
    if isinstance(expected, int | float) and not isinstance(expected, bool):
        return isinstance(actual, int | float) and abs(actual - expected) <= TIME_TOLERANCE
    return bool(actual == expected)


def _same_time(actual: float, expected: str) -> bool:
    try:
        when = datetime.fromisoformat(expected)
    except ValueError:
        return False
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return abs(when.timestamp() - actual) <= TIME_TOLERANCE
