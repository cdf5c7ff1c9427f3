"""Every recorded scenario, rewritten into each older form (tests/compat/rewrite.py), gives the
scenario's expected records: the tracker depends on no PJSIP-only or Asterisk-22-only detail."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cti.commands.replay import replay
from tests.compat.rewrite import PROFILES, split
from tests.compat.streams import CONFIG, cases, rewritten, unmatched
from tests.state.helpers import ended_records
from tests.state.scenarios import SCENARIOS, scenario_names


@pytest.mark.parametrize(("scenario", "profile"), cases())
def test_rewritten_stream_gives_the_expected_records(scenario: str, profile: str) -> None:
    stream = rewritten(scenario, profile)
    actual = [record.as_dict() for record in ended_records(stream.events, CONFIG)]
    assert not unmatched(actual, stream.expected), unmatched(actual, stream.expected)


@pytest.mark.parametrize(
    ("scenario", "profile"), [*cases(), *((n, None) for n in scenario_names())]
)
def test_cti_replay_prints_the_expected_records(
    scenario: str, profile: str | None, tmp_path: Path
) -> None:
    """`cti replay` (the command, default agent pattern) on the stream as recorded and in each
    older form."""
    stream = rewritten(scenario, profile)
    path = tmp_path / "stream.ami"
    path.write_bytes(stream.raw)
    result = CliRunner().invoke(replay, [str(path)], catch_exceptions=False)
    records = [json.loads(line) for line in result.output.splitlines()]
    expected = [{k: v for k, v in r.items() if k != "caller_name"} for r in stream.expected]
    assert not unmatched(records, expected), unmatched(records, expected)


def _names(raw: bytes) -> set[str]:
    return {v for m in split(raw) for k, v in m if k.endswith("Channel") and "/" in v}


def test_channels_take_the_older_drivers_names() -> None:
    original = (SCENARIOS / "blind_transfer.ami").read_bytes()
    sip = _names(PROFILES["asterisk20-sip"].rewrite(original))
    iax2 = _names(PROFILES["asterisk18-iax2"].rewrite(original))
    assert "SIP/1001-00000001" in sip
    assert not any(n.startswith("PJSIP/") for n in sip)
    assert "IAX2/1001-1" in iax2
    assert not any(n.startswith("PJSIP/") for n in iax2)


def test_asterisk13_form_drops_what_asterisk13_did_not_send() -> None:
    raw = PROFILES["asterisk13-sip"].rewrite((SCENARIOS / "attended_transfer.ami").read_bytes())
    messages = split(raw)
    events = {v for m in messages for k, v in m if k == "Event"}
    assert raw.startswith(b"Asterisk Call Manager/2.10.6\r\n")
    assert not events & {"DialState", "LocalOptimizationBegin", "LocalOptimizationEnd"}
    transfer = next(dict(m) for m in messages if ("Event", "AttendedTransfer") in m)
    assert not [key for key in transfer if key.startswith(("Transferee", "TransferTarget"))]
    assert "OrigTransfererChannel" in transfer
