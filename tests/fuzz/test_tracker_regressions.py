"""Tracker bugs the fuzzer found, each as the smallest stream that showed it."""

from __future__ import annotations

from cti.state.records import CallEnded, CallStarted
from cti.state.tracker import Tracker
from tests.state.builder import Stream, block


def test_pickup_from_a_started_call_does_not_leave_that_call_open() -> None:
    """A Pickup whose picker channel belongs to a call already started (not a fresh *8 helper)
    suppressed that call: it had a CallStarted and never got its CallEnded."""
    s = Stream()
    agent = s.new("PJSIP/1001-00000001", number="1001", exten="1002", state="4")
    colleague = s.new("PJSIP/1002-00000002", agent.linkedid)
    s.dial_begin(agent, colleague, "1002")
    s.state(colleague, "5")
    customer = s.new("PJSIP/trunk-00000003", number="+420601000001", exten="1003", state="4")
    target = s.new("PJSIP/1003-00000004", customer.linkedid)
    s.dial_begin(customer, target, "1003")
    s.state(target, "5")
    s.emit("Pickup", colleague, **block(target, "Target"))
    for chan in (colleague, agent, target, customer):
        s.hangup(chan)
    tracker = Tracker()
    out = [o for event in s.events for o in tracker.apply(event)]
    started = {o.call.linkedid for o in out if isinstance(o, CallStarted)}
    ended = [o.call.linkedid for o in out if isinstance(o, CallEnded)]
    assert sorted(ended) == sorted(started) == sorted({agent.linkedid, customer.linkedid})
    assert len(tracker) == 0
