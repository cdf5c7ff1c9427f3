"""Asterisk's timestamp is used only when it is a real time; change tracking holds nothing once
every call has ended, whether or not a store takes the changes."""

from __future__ import annotations

import pytest

from cti.state.events import AmiEvent
from cti.state.tracker import Tracker
from tests.state.scenarios import load


@pytest.mark.parametrize("stamp", ["nan", "inf", "-inf", "soon", ""])
def test_a_timestamp_that_is_no_time_falls_back_to_arrival(stamp: str) -> None:
    event = AmiEvent("Hangup", {"Event": "Hangup", "Timestamp": stamp}, 1_700_000_000.5)
    assert event.time == 1_700_000_000.5


def test_nothing_is_kept_for_calls_that_ended() -> None:
    scenario = load("queue_ringall_one_answers")
    tracker = Tracker(scenario.config)
    for event in scenario.events:
        tracker.apply(event)
    assert len(tracker) == 0
    assert not tracker.changed
