"""Recorded scenarios rewritten into older forms, and the check that their records are the ones
the scenario expects."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cti.ami.recorded import parse_ami_text
from cti.state.config import DEFAULT_AGENT_REGEX, TrackerConfig
from cti.state.events import AmiEvent
from tests.compat.rewrite import PROFILES
from tests.state.scenarios import SCENARIOS, matches, scenario_names

# Any driver's agents: what CTI_AGENT_CHANNEL_REGEX says out of the box.
CONFIG = TrackerConfig(agent_regex=DEFAULT_AGENT_REGEX)


@dataclass(frozen=True)
class Rewritten:
    scenario: str
    profile: str
    raw: bytes
    expected: list[dict[str, Any]]

    @property
    def events(self) -> list[AmiEvent]:
        return parse_ami_text(self.raw)


def rewritten(scenario: str, profile: str | None) -> Rewritten:
    """The scenario in the form `profile` names (None: as recorded)."""
    raw = (SCENARIOS / f"{scenario}.ami").read_bytes()
    sidecar = json.loads((SCENARIOS / f"{scenario}.json").read_text(encoding="utf-8"))
    form = PROFILES[profile].rewrite(raw) if profile is not None else raw
    return Rewritten(scenario, profile or "as recorded", form, sidecar["expected"])


def cases() -> list[tuple[str, str]]:
    return [(name, profile) for name in scenario_names() for profile in sorted(PROFILES)]


def unmatched(actual: Sequence[dict[str, Any]], expected: Sequence[dict[str, Any]]) -> str:
    """'' when every expected record is matched by exactly one actual record and none is left;
    else what is wrong."""
    left = list(actual)
    for record in expected:
        found = next((a for a in left if matches(a, record)), None)
        if found is None:
            shown = [{k: a.get(k) for k in record} for a in left]
            return f"no record matches {json.dumps(record)}; candidates {json.dumps(shown)}"
        left.remove(found)
    return f"extra records {json.dumps(left, default=str)}" if left else ""
