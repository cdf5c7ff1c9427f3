"""Hand-written transfer and pickup flows (phone-made REFER and pickup are not recorded yet)."""

from __future__ import annotations

from typing import Any

from tests.state.builder import Chan, Stream, block

Flow = tuple[Stream, list[dict[str, Any]]]


def _answered_inbound(s: Stream, agent: str) -> tuple[Chan, Chan]:
    caller = s.new("PJSIP/trunk-00000001", number="+420601000001", exten=agent, state="4")
    a = s.new(f"PJSIP/{agent}-00000002", caller.linkedid)
    s.dial_begin(caller, a, agent)
    s.state(a, "5")
    s.tick(2)
    s.state(a, "6")
    s.dial_end(caller, a, "ANSWER")
    s.enter("br-1", caller, a)
    return caller, a


def refer_attended_transfer() -> Flow:
    """1001 consults 1002 on a second line, then the phone transfers (REFER with Replaces)."""
    s = Stream()
    caller, a1 = _answered_inbound(s, "1001")
    s.tick(3)
    a2 = s.new("PJSIP/1001-00000003", number="1001", exten="1002", state="4")
    b = s.new("PJSIP/1002-00000004", a2.linkedid)
    s.dial_begin(a2, b, "1002")
    s.state(b, "5")
    s.tick(2)
    s.state(b, "6")
    s.dial_end(a2, b, "ANSWER")
    s.enter("br-2", a2, b)
    s.tick(3)
    consult_linkedid = b.linkedid
    b.linkedid = caller.linkedid  # silently switched; first seen on this VarSet
    s.varset(b, "BRIDGEPEER", caller.name)
    s.emit(
        "AttendedTransfer", None, Result="Success", DestType="Bridge",
        **block(a1, "OrigTransferer"), OrigBridgeUniqueid="br-1",
        **block(a2, "SecondTransferer"), SecondBridgeUniqueid="br-2",
        **{**block(b, "TransferTarget"), "TransferTargetLinkedid": consult_linkedid},
        **block(caller, "Transferee"),
    )  # fmt: skip
    s.leave("br-1", a1)
    s.enter("br-2", caller)
    s.leave("br-2", a2)
    s.hangup(a1)
    s.hangup(a2)
    s.tick(10)
    s.leave("br-2", b, caller)
    s.hangup(b)
    s.hangup(caller)
    transfer = {"kind": "attended", "from": "1001", "to": "1002"}
    inbound = {
        "direction": "inbound", "agents_rang": ["1001"], "answered_by": "1001",
        "disposition": "answered", "transfers": [transfer], "talk_seconds": 18.0,
    }  # fmt: skip
    consult = {"direction": "internal", "caller": "1001", "callee": "1002",
               "answered_by": "1002", "disposition": "answered", "transfers": []}  # fmt: skip
    return s, [consult, inbound]


def pickup_by_colleague() -> Flow:
    """1002 rings for a customer; 1003 dials *8 and takes the call (masquerade + rename)."""
    s = Stream()
    caller = s.new("PJSIP/trunk-00000001", number="+420601000001", exten="1002", state="4")
    b = s.new("PJSIP/1002-00000002", caller.linkedid)
    s.dial_begin(caller, b, "1002")
    s.state(b, "5")
    s.tick(4)
    c = s.new("PJSIP/1003-00000003", number="1003", exten="*8", state="4")
    s.emit("Pickup", c, **block(b, "Target"))
    s.emit("Rename", b, Newname="PJSIP/1003-00000003")
    b.name = "PJSIP/1003-00000003"
    s.state(b, "6")
    s.dial_end(caller, b, "ANSWER")
    s.enter("br-1", caller, b)
    s.hangup(c)  # the picker's original channel: a zombie after the masquerade
    s.tick(5)
    s.leave("br-1", b, caller)
    s.hangup(b)
    s.hangup(caller)
    expected = {"direction": "inbound", "agents_rang": ["1002"], "answered_by": "1003",
                "disposition": "answered", "wait_seconds": 4.0,
                "transfers": [{"kind": "pickup", "from": "1002", "to": "1003"}]}  # fmt: skip
    return s, [expected]
