"""A tracker killed at any event and restored from its exported state writes the same records."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cti.state.config import TrackerConfig
from cti.state.events import AmiEvent
from cti.state.records import CallEnded, CallRecord
from cti.state.tracker import Tracker
from tests.state.scenarios import load, scenario_names

FACTS = ("direction", "caller", "callee", "queue", "agents_rang", "answered_by", "disposition")


def facts(record: CallRecord) -> dict[str, Any]:
    data = record.as_dict()
    transfers = [(t["kind"], t["from"], t["to"]) for t in data["transfers"]]  # type: ignore[attr-defined]
    return {key: data[key] for key in FACTS} | {"transfers": transfers}


def ended(tracker: Tracker, events: list[AmiEvent]) -> dict[str, CallRecord]:
    out = (e for event in events for e in tracker.apply(event))
    return {e.call.linkedid: e.call for e in out if isinstance(e, CallEnded)}


def end_index(tracker: Tracker, events: list[AmiEvent]) -> dict[str, int]:
    """The index of the event at which each call ended."""
    return {
        out.call.linkedid: index
        for index, event in enumerate(events)
        for out in tracker.apply(event)
        if isinstance(out, CallEnded)
    }


def restarted_at(events: list[AmiEvent], cut: int, config: TrackerConfig) -> Tracker:
    before = Tracker(config)
    ended(before, events[:cut])
    changes = before.take_changes()
    stored = json.loads(json.dumps(changes.open_calls))  # what the database gives back
    after = Tracker(config)
    after.restore(stored, changes.clock)
    return after


@pytest.mark.parametrize("name", scenario_names())
def test_restart_at_every_event_changes_no_record(name: str) -> None:
    scenario = load(name)
    events, config = scenario.events, scenario.config
    control = ended(Tracker(config), events)
    ends = end_index(Tracker(config), events)
    for cut in range(len(events) + 1):
        after = restarted_at(events, cut, config)
        records = ended(after, events[cut:])
        assert set(records) == {linkedid for linkedid, at in ends.items() if at >= cut}
        for linkedid, record in records.items():
            assert facts(record) == facts(control[linkedid]), f"{name}: cut at event {cut}"
        assert len(after) == 0, f"{name}: a call left open after a restart at event {cut}"
        assert not after.active_calls()


def test_restore_ignores_damaged_state() -> None:
    scenario = load(scenario_names()[0])
    tracker = Tracker(scenario.config)
    ended(tracker, scenario.events[:10])
    good = list(tracker.take_changes().open_calls)
    damaged = [{"format": 1, "linkedid": "x"}, {"format": 99}, *good]
    fresh = Tracker(scenario.config)
    assert fresh.restore(damaged) == len(good)
    assert len(fresh) == len(good)


def test_changes_name_each_changed_open_call_once() -> None:
    scenario = load("direct_answered")
    tracker = Tracker(scenario.config)
    ended(tracker, scenario.events[:5])
    first = tracker.take_changes()
    assert first.open_calls
    assert tracker.take_changes().open_calls == ()
    calls = ended(tracker, scenario.events[5:])
    last = tracker.take_changes()
    assert last.open_calls == ()
    assert last.dropped == (), "an ended business call is forgotten when its end is stored"
    assert set(calls) <= tracker.recently_ended()
