"""Random but causally valid calls, in Asterisk 22's event shapes (tests/state/builder.py).

One call: a caller appears (a trunk or an agent's phone), maybe queues, dials 0-3 targets (some
through a Local pair), they ring; one answers, or none does; an answered call may be blind- or
attended-transferred, a ringing one picked up. The caller may hang up at any stage, and at the
end every channel still up hangs up, in any order. Each call's own order is causal; calls are
interleaved freely (perturb.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import strategies as st

from cti.state.events import AmiEvent
from tests.state.builder import Chan, Stream, block

AGENTS = tuple(str(1001 + n) for n in range(6))
DIAL_FAILURES = ("NOANSWER", "BUSY", "CANCEL", "CHANUNAVAIL", "CONGESTION")
CAUSES = ("16", "17", "19", "21", "26", "127")


@dataclass
class CallBuilder:
    """A call in the making: the stream and the channels still up."""

    draw: st.DrawFn
    s: Stream = field(default_factory=Stream)
    up: list[Chan] = field(default_factory=list)
    _serial: int = 0

    def channel(self, name: str, linkedid: str | None = None, **kw: str) -> Chan:
        self._serial += 1
        chan = self.s.new(f"{name}-{self._serial:08x}", linkedid, **kw)
        self.up.append(chan)
        return chan

    def local_pair(self, linkedid: str, exten: str) -> tuple[Chan, Chan]:
        self._serial += 1
        base = f"Local/{exten}@agents-{self._serial:08x}"
        one = self.s.new(f"{base};1", linkedid, exten=exten)
        two = self.s.new(f"{base};2", linkedid, exten=exten)
        self.up += [one, two]
        self.s.emit("LocalBridge", None, **block(one, "LocalOne"), **block(two, "LocalTwo"))
        return one, two

    def hangup(self, chan: Chan, cause: str | None = None) -> None:
        if chan in self.up:
            self.up.remove(chan)
            self.s.hangup(chan, cause or self.draw(st.sampled_from(CAUSES)))

    def hangup_all(self) -> list[AmiEvent]:
        """Everyone still up hangs up, in any order; some leave their bridge first."""
        for chan in self.draw(st.permutations(self.up)):
            if self.draw(st.booleans()):
                self.s.emit("BridgeLeave", chan, BridgeUniqueid="br-main")
            self.hangup(chan)
        return self.s.events

    def caller_gives_up(self) -> bool:
        return self.draw(st.integers(0, 5)) == 0


def agent_name(draw: st.DrawFn, avoid: str = "") -> str:
    return draw(st.sampled_from([a for a in AGENTS if a != avoid]))


@st.composite
def one_call(draw: st.DrawFn) -> list[AmiEvent]:
    c = CallBuilder(draw)
    s = c.s
    inbound = draw(st.booleans())
    me = "" if inbound else agent_name(draw)
    dialled = agent_name(draw, me) if draw(st.booleans()) else "0612345678"
    tech = "PJSIP/trunk" if inbound else f"PJSIP/{me}"
    caller = c.channel(tech, number="+420601000001" if inbound else me, exten=dialled, state="4")
    if inbound and draw(st.booleans()):
        s.emit("QueueCallerJoin", caller, Queue="sales", Position="1", Count="1")
    if c.caller_gives_up():
        return c.hangup_all()
    targets, rung = _dial(c, caller, dialled)
    if c.caller_gives_up() or not targets:
        _fail(c, caller, targets)
        return c.hangup_all()
    picked = _maybe_pickup(c, caller, rung)
    answerer = picked or draw(st.sampled_from([None, *targets]))
    if answerer is None:
        _fail(c, caller, targets)
        return c.hangup_all()
    _answer(c, caller, answerer, [t for t in targets if t is not answerer])
    if not c.caller_gives_up():
        _maybe_transfer(c, caller, answerer)
    s.tick(draw(st.integers(0, 60)))
    return c.hangup_all()


def _dial(c: CallBuilder, caller: Chan, dialled: str) -> tuple[list[Chan], list[Chan]]:
    s, draw = c.s, c.draw
    targets: list[Chan] = []
    for agent in draw(st.lists(st.sampled_from(AGENTS), max_size=3, unique=True)):
        if agent == caller.number:
            continue
        if draw(st.integers(0, 3)) == 0:  # a Local pair in between (a ring group, a queue member)
            near, far = c.local_pair(caller.linkedid, agent)
            s.dial_begin(caller, near, f"Local/{agent}@agents")
            target = c.channel(f"PJSIP/{agent}", caller.linkedid)
            s.dial_begin(far, target, agent)
        else:
            target = c.channel(f"PJSIP/{agent}", caller.linkedid)
            s.dial_begin(caller, target, dialled)
        targets.append(target)
    rung = [t for t in targets if draw(st.booleans())]
    for target in rung:
        s.state(target, "5")
    s.tick(draw(st.integers(0, 20)))
    return targets, rung


def _fail(c: CallBuilder, caller: Chan, targets: list[Chan]) -> None:
    status = c.draw(st.sampled_from(DIAL_FAILURES))
    for target in targets:
        c.s.dial_end(caller, target, status)
        c.hangup(target)


def _answer(c: CallBuilder, caller: Chan, answerer: Chan, losers: list[Chan]) -> None:
    s = c.s
    s.state(answerer, "6")
    s.dial_end(caller, answerer, "ANSWER")
    for loser in losers:
        s.dial_end(caller, loser, "CANCEL")
        c.hangup(loser, "26")
    caller.state = "6"
    s.enter("br-main", caller, answerer)


def _maybe_pickup(c: CallBuilder, caller: Chan, rung: list[Chan]) -> Chan | None:
    """A colleague dials *8 and takes a ringing target's place (masquerade and rename)."""
    if not rung or not c.draw(st.booleans()):
        return None
    target = c.draw(st.sampled_from(rung))
    picker_agent = agent_name(c.draw, caller.number)
    picker = c.channel(f"PJSIP/{picker_agent}", number=picker_agent, exten="*8", state="4")
    c.s.emit("Pickup", picker, **block(target, "Target"))
    c.s.emit("Rename", target, Newname=picker.name)
    target.name = picker.name
    c.hangup(picker)  # the picker's own channel: a zombie after the masquerade
    return target


def _maybe_transfer(c: CallBuilder, caller: Chan, agent: Chan) -> None:
    kind = c.draw(st.sampled_from(("none", "blind", "attended", "attended, target rings")))
    if kind == "none":
        return
    s = c.s
    to = agent_name(c.draw, caller.number)
    if kind == "blind":
        s.emit("BlindTransfer", None, Result="Success", Extension=to,
               **block(agent, "Transferer"), **block(caller, "Transferee"))  # fmt: skip
        s.leave("br-main", agent)
        c.hangup(agent)
        target = c.channel(f"PJSIP/{to}", caller.linkedid)
        s.dial_begin(caller, target, to)
        s.state(target, "5")
        if c.draw(st.booleans()):
            _answer(c, caller, target, [])
        return
    # Attended, made by the phone: a consult call with its own Linkedid, then REFER/Replaces.
    consult = c.channel(agent.name.rsplit("-", 1)[0], number=agent.number, exten=to, state="4")
    target = c.channel(f"PJSIP/{to}", consult.linkedid)
    s.dial_begin(consult, target, to)
    s.state(target, "5")
    if kind == "attended":
        s.state(target, "6")
        s.dial_end(consult, target, "ANSWER")
        s.enter("br-consult", consult, target)
    old_linkedid = target.linkedid
    target.linkedid = caller.linkedid
    s.varset(target, "BRIDGEPEER", caller.name)
    s.emit("AttendedTransfer", None, Result="Success", DestType="Bridge",
           **block(agent, "OrigTransferer"), OrigBridgeUniqueid="br-main",
           **block(consult, "SecondTransferer"), SecondBridgeUniqueid="br-consult",
           **{**block(target, "TransferTarget"), "TransferTargetLinkedid": old_linkedid},
           **block(caller, "Transferee"))  # fmt: skip
    s.leave("br-main", agent)
    c.hangup(agent)
    s.leave("br-consult", consult)
    c.hangup(consult)
    s.enter("br-consult", caller)
