"""Run the tracker over a stream and compare records on the fields a fixture names."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from cti.state.config import TrackerConfig
from cti.state.events import AmiEvent
from cti.state.records import CallEnded, CallRecord
from cti.state.tracker import Tracker


def ended_records(
    events: Iterable[AmiEvent], config: TrackerConfig | None = None
) -> list[CallRecord]:
    tracker = Tracker(config)
    return [
        out.call for event in events for out in tracker.apply(event) if isinstance(out, CallEnded)
    ]


def subset(record: CallRecord, expected: Mapping[str, Any]) -> dict[str, Any]:
    """The record's fields named in `expected`, JSON-shaped (lists, transfer dicts)."""
    fields = record.as_dict()
    return {key: fields.get(key) for key in expected}
