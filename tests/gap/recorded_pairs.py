"""Recorded pairs: the raw AMI stream of some calls and the CEL rows Asterisk logged for them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from cti.ami.recorded import parse_ami_text
from cti.gap.cel_file import CelRow
from cti.state.config import TrackerConfig
from cti.state.events import AmiEvent

RECORDED = Path(__file__).parent / "recorded"
AGENTS = TrackerConfig(agent_regex=r"^PJSIP/(1\d{3})-")


@dataclass(frozen=True)
class Pair:
    name: str
    events: list[AmiEvent]
    cel: list[CelRow]


def pair_names() -> list[str]:
    return sorted(p.name.removesuffix(".cel.jsonl") for p in RECORDED.glob("*.cel.jsonl"))


def load_pair(name: str) -> Pair:
    events = parse_ami_text((RECORDED / f"{name}.ami").read_bytes())
    lines = (RECORDED / f"{name}.cel.jsonl").read_text(encoding="utf-8").splitlines()
    return Pair(name, events, [json.loads(line) for line in lines if line.strip()])
