"""A blind transfer to the parking lot's extension is the park, told once, whichever of
BlindTransfer and ParkedCall Asterisk sends first (both orders happen on the same PBX)."""

from __future__ import annotations

from tests.state.helpers import ended_records
from tests.state.scenarios import load

PARKED = [
    {"kind": "park", "from": "1001", "to": "701"},
    {"kind": "retrieve", "from": "701", "to": "1002"},
]


def _transfers(events: list) -> list[dict[str, object]]:  # type: ignore[type-arg]
    [record] = ended_records(events, load("park_by_transfer_retrieved").config)
    return [{k: t[k] for k in ("kind", "from", "to")} for t in record.as_dict()["transfers"]]  # type: ignore[attr-defined]


def test_parked_call_told_before_the_blind_transfer() -> None:
    events = load("park_by_transfer_retrieved").events
    names = [e.name for e in events]
    assert names.index("ParkedCall") < names.index("BlindTransfer")
    assert _transfers(events) == PARKED


def test_blind_transfer_told_before_the_parked_call() -> None:
    events = list(load("park_by_transfer_retrieved").events)
    parked = next(i for i, e in enumerate(events) if e.name == "ParkedCall")
    blind = next(i for i, e in enumerate(events) if e.name == "BlindTransfer")
    events[parked], events[blind] = events[blind], events[parked]
    assert _transfers(events) == PARKED
