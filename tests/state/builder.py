"""Build small AMI event streams with consistent channel snapshots, in Asterisk 22's shapes."""

from __future__ import annotations

from dataclasses import dataclass, field

from cti.state.events import AmiEvent

STATES = {"0": "Down", "4": "Ring", "5": "Ringing", "6": "Up"}


@dataclass
class Chan:
    name: str
    uid: str
    linkedid: str
    number: str = ""
    cid_name: str = ""
    exten: str = ""
    state: str = "0"


@dataclass
class Stream:
    t: float = 1_700_000_000.0
    events: list[AmiEvent] = field(default_factory=list)
    _seq: int = 0

    def tick(self, seconds: float = 1.0) -> None:
        self.t += seconds

    def emit(self, name: str, chan: Chan | None = None, **headers: str) -> None:
        fields = {"Event": name, "Timestamp": f"{self.t:.6f}"}
        if chan is not None:
            fields.update(block(chan))
        fields.update(headers)
        self.events.append(AmiEvent(name, fields, self.t))

    def new(self, name: str, linkedid: str | None = None, **kw: str) -> Chan:
        self._seq += 1
        uid = f"{int(self.t)}.{self._seq}"
        chan = Chan(name, uid, linkedid or uid, **kw)
        self.emit("Newchannel", chan)
        return chan

    def state(self, chan: Chan, state: str) -> None:
        chan.state = state
        self.emit("Newstate", chan)

    def dial_begin(self, caller: Chan | None, dest: Chan, dial_string: str = "") -> None:
        self.emit("DialBegin", caller, **block(dest, "Dest"), DialString=dial_string)

    def dial_end(self, caller: Chan | None, dest: Chan, status: str) -> None:
        self.emit("DialEnd", caller, **block(dest, "Dest"), DialStatus=status)

    def enter(self, bridge: str, *chans: Chan) -> None:
        for chan in chans:
            self.emit("BridgeEnter", chan, BridgeUniqueid=bridge, BridgeType="basic")

    def leave(self, bridge: str, *chans: Chan) -> None:
        for chan in chans:
            self.emit("BridgeLeave", chan, BridgeUniqueid=bridge, BridgeType="basic")

    def hangup(self, chan: Chan, cause: str = "16") -> None:
        self.emit("Hangup", chan, Cause=cause)

    def varset(self, chan: Chan, variable: str, value: str) -> None:
        self.emit("VarSet", chan, Variable=variable, Value=value)


def block(chan: Chan, prefix: str = "") -> dict[str, str]:
    return {
        f"{prefix}Channel": chan.name,
        f"{prefix}ChannelState": chan.state,
        f"{prefix}ChannelStateDesc": STATES.get(chan.state, "Unknown"),
        f"{prefix}CallerIDNum": chan.number or "<unknown>",
        f"{prefix}CallerIDName": chan.cid_name or "<unknown>",
        f"{prefix}Exten": chan.exten,
        f"{prefix}Uniqueid": chan.uid,
        f"{prefix}Linkedid": chan.linkedid,
    }
