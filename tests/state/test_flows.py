"""The tracker over hand-written flows: one record per business call, fields per call-semantics."""

from __future__ import annotations

import pytest

from cti.state.records import CallAnswered, CallEnded, CallRinging, CallStarted
from cti.state.tracker import Tracker
from tests.state.builder import Stream
from tests.state.flows import FLOWS, click_to_call_agent_never_answers, queue_ring_all_answered
from tests.state.helpers import ended_records, subset


@pytest.mark.parametrize("name", sorted(FLOWS))
def test_flow_gives_its_record(name: str) -> None:
    stream, expected = FLOWS[name]()
    records = ended_records(stream.events)
    assert len(records) == 1
    assert subset(records[0], expected) == expected


def test_events_come_in_call_order() -> None:
    stream, _ = queue_ring_all_answered()
    tracker = Tracker()
    emitted = [e for event in stream.events for e in tracker.apply(event)]
    kinds = [type(e).__name__ for e in emitted]
    assert kinds[0] == "CallStarted"
    assert kinds[-1] == "CallEnded"
    rings = [e.agents for e in emitted if isinstance(e, CallRinging)]
    assert rings[:2] == [("1001",), ("1001", "1002")]
    answered = [e for e in emitted if isinstance(e, CallAnswered)]
    assert [e.call.answered_by for e in answered] == ["1002"]
    assert isinstance(emitted[0], CallStarted)
    assert emitted[0].call.direction == "inbound"
    assert isinstance(emitted[-1], CallEnded)


def test_unanswered_click_to_call_leaves_no_record() -> None:
    stream, _ = click_to_call_agent_never_answers()
    assert ended_records(stream.events) == []


def test_snapshot_and_agent_lookup_while_ringing() -> None:
    stream, _ = queue_ring_all_answered()
    tracker = Tracker()
    for event in stream.events[:8]:  # up to both agents ringing
        tracker.apply(event)
    [active] = tracker.active_calls()
    assert active.disposition is None
    assert active.agents_rang == ("1001", "1002")
    assert tracker.agent_calls("1002").ringing == (active.linkedid,)
    assert tracker.agent_calls("1003").ringing == ()


def test_the_routing_reason_is_read_back_from_amis_escaping() -> None:
    # what AMI's VarSet shows for: owner O'Brien "VIP" free, C:\x
    s = Stream()
    caller = s.new("PJSIP/trunk-00000001", number="+31201234567", exten="100", state="4")
    s.varset(caller, "CTI_ROUTE_REASON", 'owner O\\\'Brien \\"VIP\\" free, C:\\\\x')
    agent = s.new("PJSIP/1002-00000002", caller.linkedid, number="1002")
    s.dial_begin(caller, agent)
    s.state(agent, "6")
    s.dial_end(caller, agent, "ANSWER")
    s.enter("br-1", caller, agent)
    s.tick(5)
    s.leave("br-1", agent, caller)
    s.hangup(agent)
    s.hangup(caller)
    (record,) = ended_records(s.events)
    assert record.route_reason == 'owner O\'Brien "VIP" free, C:\\x'
