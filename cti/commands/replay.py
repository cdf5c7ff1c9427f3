"""`cti replay FILE`: run the call tracker alone over a recorded AMI stream; print the calls."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from cti.ami.recorded import StreamFormat, load_events
from cti.state.config import DEFAULT_AGENT_REGEX, TrackerConfig
from cti.state.records import CallEnded, CallRecord
from cti.state.tracker import Tracker

REPLAY_FIELDS = (
    "linkedid", "direction", "caller", "callee", "queue", "agents_rang", "answered_by",
    "disposition", "started_at", "answered_at", "ended_at", "wait_seconds", "talk_seconds",
    "transfers",
)  # fmt: skip
_TIMES = frozenset({"started_at", "answered_at", "ended_at", "at"})


def iso(stamp: float | None) -> str | None:
    if stamp is None:
        return None
    return datetime.fromtimestamp(stamp, tz=UTC).isoformat(timespec="milliseconds")


def record_json(record: CallRecord) -> dict[str, Any]:
    fields = record.as_dict()
    out = {name: fields[name] for name in REPLAY_FIELDS}
    out["transfers"] = [_with_iso_times(t.as_dict()) for t in record.transfers]
    return _with_iso_times(out)


def _with_iso_times(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: iso(v) if k in _TIMES else v for k, v in fields.items()}


def replay_records(path: Path, fmt: StreamFormat | None, agents: str) -> list[CallRecord]:
    tracker = Tracker(TrackerConfig(agent_regex=agents))
    records: list[CallRecord] = []
    for event in load_events(path, fmt):
        records.extend(out.call for out in tracker.apply(event) if isinstance(out, CallEnded))
    return records


@click.command("replay")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["ami", "json"]), default=None,
    help="Raw AMI text or a JSON list of events (default: by file extension).",
)  # fmt: skip
@click.option("--agents", default=DEFAULT_AGENT_REGEX, show_default=True,
              help="Regex for agent channels; group 1 is the extension.")  # fmt: skip
def replay(file: Path, fmt: StreamFormat | None, agents: str) -> None:
    """Print one JSON object per finished call in FILE (no database, no network)."""
    for record in replay_records(file, fmt, agents):
        click.echo(json.dumps(record_json(record), ensure_ascii=False))
