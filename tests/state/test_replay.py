"""`cti replay`: the tracker alone over a recorded file, raw AMI text or JSON, one line per call."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cti.ami.recorded import parse_ami_text
from cti.commands.replay import replay
from tests.state.scenarios import SCENARIOS, scenario_names

AGENTS = r"^PJSIP/(1\d{3})-"


def run(*args: str) -> list[dict[str, object]]:
    result = CliRunner().invoke(replay, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


@pytest.mark.skipif("blind_transfer" not in scenario_names(), reason="not recorded yet")
def test_replays_raw_ami_text() -> None:
    [call] = run(str(SCENARIOS / "blind_transfer.ami"), "--agents", AGENTS)
    assert call["disposition"] == "answered"
    assert call["answered_by"] == "1001"
    assert str(call["started_at"]).endswith("+00:00")
    assert call["transfers"][0]["kind"] == "blind"  # type: ignore[index]
    assert str(call["transfers"][0]["at"]).startswith("20")  # type: ignore[index]


@pytest.mark.skipif("direct_busy" not in scenario_names(), reason="not recorded yet")
def test_json_format_gives_the_same_output(tmp_path: Path) -> None:
    source = SCENARIOS / "direct_busy.ami"
    events = [dict(e.headers) for e in parse_ami_text(source.read_bytes())]
    as_json = tmp_path / "direct_busy.json"
    as_json.write_text(json.dumps(events))
    from_text = run(str(source), "--agents", AGENTS)
    assert run(str(as_json), "--format", "json", "--agents", AGENTS) == from_text
    assert from_text[0]["disposition"] == "busy"


def test_file_with_no_calls_prints_nothing(tmp_path: Path) -> None:
    empty = tmp_path / "quiet.ami"
    empty.write_bytes(b"Asterisk Call Manager/9.0.0\r\n\r\nEvent: FullyBooted\r\n\r\n")
    assert run(str(empty)) == []
