"""Hand-written call flows (until recorded ones cover them), each with the record it must give."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.state.builder import Stream

Flow = tuple[Stream, dict[str, Any]]


def queue_ring_all_answered() -> Flow:
    s = Stream()
    caller = s.new("PJSIP/trunk-00000001", number="+31201234567", exten="0201234567", state="4")
    s.emit("QueueCallerJoin", caller, Queue="sales", Position="1", Count="1")
    a = s.new("PJSIP/1001-00000002", caller.linkedid, number="1001")
    b = s.new("PJSIP/1002-00000003", caller.linkedid, number="1002")
    s.dial_begin(caller, a)
    s.dial_begin(caller, b)
    s.tick()
    s.state(a, "5")
    s.state(b, "5")
    s.tick(4)
    s.state(b, "6")
    s.dial_end(caller, b, "ANSWER")
    s.dial_end(caller, a, "CANCEL")
    s.hangup(a, "26")
    s.emit("QueueCallerLeave", caller, Queue="sales")
    s.enter("br-1", caller, b)
    s.varset(caller, "MIXMONITOR_FILENAME", "/rec/1.wav")
    s.tick(30)
    s.leave("br-1", b, caller)
    s.hangup(b)
    s.hangup(caller)
    expected = {
        "direction": "inbound",
        "caller": "+31201234567",
        "did": "0201234567",
        "queue": "sales",
        "agents_rang": ["1001", "1002"],
        "answered_by": "1002",
        "disposition": "answered",
        "wait_seconds": 5.0,
        "talk_seconds": 30.0,
        "recording": "/rec/1.wav",
    }
    return s, expected


def queue_abandoned() -> Flow:
    s = Stream()
    caller = s.new("PJSIP/trunk-00000001", number="0612345678", exten="0201234567", state="4")
    s.emit("QueueCallerJoin", caller, Queue="support", Position="1", Count="1")
    a = s.new("PJSIP/1001-00000002", caller.linkedid)
    s.dial_begin(caller, a)
    s.state(a, "5")
    s.tick(7)
    s.emit("QueueCallerAbandon", caller, Queue="support", Position="1", HoldTime="7")
    s.dial_end(caller, a, "CANCEL")
    s.hangup(a, "16")
    s.hangup(caller)
    expected = {"queue": "support", "agents_rang": ["1001"], "disposition": "abandoned"}
    return s, expected


def internal_busy() -> Flow:
    s = Stream()
    a = s.new("PJSIP/1001-00000001", number="1001", exten="1002", state="4")
    b = s.new("PJSIP/1002-00000002", a.linkedid, number="1002")
    s.dial_begin(a, b, "1002")
    s.dial_end(a, b, "BUSY")
    s.hangup(b, "17")
    s.tick()
    s.hangup(a, "17")
    expected = {
        "direction": "internal",
        "caller": "1001",
        "callee": "1002",
        "agents_rang": [],
        "disposition": "busy",
    }
    return s, expected


def internal_caller_cancels() -> Flow:
    s = Stream()
    a = s.new("PJSIP/1001-00000001", number="1001", exten="1002", state="4")
    b = s.new("PJSIP/1002-00000002", a.linkedid, number="1002")
    s.dial_begin(a, b, "1002")
    s.state(b, "5")
    s.tick(3)
    s.dial_end(a, b, "CANCEL")
    s.hangup(b)
    s.hangup(a)
    return s, {"direction": "internal", "agents_rang": ["1002"], "disposition": "missed"}


def click_to_call_answered() -> Flow:
    """Originate: the agent's phone rings first (no calling channel), then it dials out."""
    s = Stream()
    agent = s.new("PJSIP/1001-00000001", number="1001", exten="s")
    s.dial_begin(None, agent)
    s.state(agent, "5")
    s.tick(2)
    s.state(agent, "6")
    s.dial_end(None, agent, "ANSWER")
    agent.exten = "0612345678"
    s.emit("Newexten", agent, Application="Dial", AppData="PJSIP/0612345678@trunk")
    trunk = s.new("PJSIP/trunk-00000002", agent.linkedid, number="0612345678")
    s.dial_begin(agent, trunk, "0612345678@trunk")
    s.state(trunk, "5")
    s.tick(5)
    s.state(trunk, "6")
    s.dial_end(agent, trunk, "ANSWER")
    s.enter("br-9", agent, trunk)
    s.tick(60)
    s.hangup(trunk)
    s.hangup(agent)
    expected: dict[str, Any] = {
        "direction": "outbound",
        "caller": "1001",
        "callee": "0612345678",
        "agents_rang": [],
        "answered_by": None,
        "disposition": "answered",
        "talk_seconds": 60.0,
    }
    return s, expected


def click_to_call_agent_never_answers() -> Flow:
    s = Stream()
    agent = s.new("PJSIP/1001-00000001", number="1001", exten="s")
    s.dial_begin(None, agent)
    s.state(agent, "5")
    s.tick(20)
    s.dial_end(None, agent, "NOANSWER")
    s.hangup(agent, "19")
    return s, {}


FLOWS: dict[str, Callable[[], Flow]] = {
    "queue_ring_all_answered": queue_ring_all_answered,
    "queue_abandoned": queue_abandoned,
    "internal_busy": internal_busy,
    "internal_caller_cancels": internal_caller_cancels,
    "click_to_call_answered": click_to_call_answered,
}
