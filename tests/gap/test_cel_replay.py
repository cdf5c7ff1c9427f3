"""A bridge that stopped listening at any point of recorded traffic, and came back after it
ended, writes from Asterisk's CEL the same records as a bridge that never stopped."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cti.gap.replay import OVERLAP_SECONDS, KnownChannels, replay
from cti.state.events import AmiEvent, Resync
from cti.state.records import CallEnded, CallRecord
from cti.state.tracker import Tracker
from tests.gap.recorded_pairs import AGENTS, load_pair, pair_names

FACTS = ("direction", "caller", "callee", "queue", "agents_rang", "answered_by", "disposition")


def facts(record: CallRecord) -> dict[str, Any]:
    data = record.as_dict()
    transfers = [(t["kind"], t["from"], t["to"]) for t in record.as_dict()["transfers"]]  # type: ignore[attr-defined]
    return {key: data[key] for key in FACTS} | {"transfers": transfers}


def ended(tracker: Tracker, events: list[AmiEvent | Resync]) -> dict[str, CallRecord]:
    out = (e for event in events for e in tracker.apply(event))
    return {e.call.linkedid: e.call for e in out if isinstance(e, CallEnded)}


def cuts(events: list[AmiEvent], wanted: int) -> list[int]:
    step = max(1, len(events) // wanted)
    return list(range(0, len(events) + 1, step))


def back_after_the_traffic(name: str, cut: int) -> tuple[dict[str, CallRecord], Tracker]:
    """Killed after event `cut`; restarted once Asterisk is idle: restore, CEL, listing.
    The calls ended before the cut are what the database holds as ended."""
    pair = load_pair(name)
    before = Tracker(AGENTS)
    stored = ended(before, pair.events[:cut])  # type: ignore[arg-type]
    saved = before.take_changes()
    after = Tracker(AGENTS)
    after.restore(json.loads(json.dumps(saved.open_calls)), saved.clock)
    end = pair.events[-1].time + 1
    since = saved.clock - OVERLAP_SECONDS
    missed = [row for row in pair.cel if since < float(row["eventtime"]) <= end]
    known = KnownChannels(
        after.channel_names(),
        after.open_linkedids(),
        after.callers(),
        after.unrung_dialled(),
        set(stored),
    )
    return ended(after, [*replay(missed, saved.clock, known), Resync((), (), end)]), after


@pytest.mark.parametrize("name", pair_names())
def test_calls_missed_entirely_are_settled_from_cel(name: str) -> None:
    pair = load_pair(name)
    control = ended(Tracker(AGENTS), pair.events)  # type: ignore[arg-type]
    settled, after = back_after_the_traffic(name, 0)
    assert set(settled) == set(control), "every call is recorded, none twice, none invented"
    for linkedid, record in settled.items():
        assert facts(record) == facts(control[linkedid]), linkedid
        assert record.reconstructed
    assert len(after) == 0


@pytest.mark.parametrize("name", pair_names())
def test_killed_at_any_point_then_settled_from_cel(name: str) -> None:
    pair = load_pair(name)
    control = ended(Tracker(AGENTS), pair.events)  # type: ignore[arg-type]
    wrong: list[str] = []
    for cut in cuts(pair.events, 60 if name == "traffic" else 40):
        lived = Tracker(AGENTS)
        done_before = ended(lived, pair.events[:cut])  # type: ignore[arg-type]
        settled, after = back_after_the_traffic(name, cut)
        assert set(settled) | set(done_before) == set(control), f"cut {cut}: lost or invented"
        assert not set(settled) & set(done_before), f"cut {cut}: a call ended twice"
        wrong += [
            f"cut {cut} {linkedid}: {facts(record)} != {facts(control[linkedid])}"
            for linkedid, record in settled.items()
            if facts(record) != facts(control[linkedid])
        ]
        assert len(after) == 0, f"cut {cut}: a call left open"
    assert not wrong, "\n".join(wrong[:10])
