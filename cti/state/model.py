"""Mutable, compact tracker state: channels and calls (slots keep ~1-2 KB per active call)."""

from __future__ import annotations

from cti.state.records import Direction, Transfer

DOWN = "0"
RINGING = "5"
UP = "6"


class Channel:
    __slots__ = (
        "agent",
        "bridge",
        "cid_name",
        "exten",
        "left_linkedid",
        "linkedid",
        "name",
        "number",
        "party",
        "state",
        "uid",
    )

    def __init__(self, uid: str, name: str, linkedid: str, agent: str | None, party: bool) -> None:
        self.uid = uid
        self.name = name
        self.linkedid = linkedid
        self.agent = agent
        self.party = party
        self.state = "0"
        self.number = ""
        self.cid_name = ""
        self.exten = ""
        self.bridge: str | None = None
        # the call a transfer took it from: a PBX that never switches Linkedid keeps saying it
        self.left_linkedid: str | None = None

    @property
    def local(self) -> bool:
        return not self.party

    def local_partner_name(self) -> str | None:
        """`Local/x@ctx-0001;1` <-> `Local/x@ctx-0001;2`."""
        base, sep, half = self.name.rpartition(";")
        if not sep or half not in ("1", "2"):
            return None
        return f"{base};{'2' if half == '1' else '1'}"


class Call:
    __slots__ = (
        "abandoned",
        "agents_rang",
        "answered_at",
        "answered_by",
        "callback_of",
        "callback_requested",
        "callee",
        "caller",
        "caller_cause",
        "caller_name",
        "caller_uid",
        "channels",
        "dial_status",
        "dialled",
        "did",
        "direction",
        "linkedid",
        "note",
        "originated",
        "queue",
        "queued_at",
        "rang_by_answer",
        "reconstructed",
        "recording",
        "ring_seen",
        "ringing",
        "route_reason",
        "started",
        "started_at",
        "suppressed",
        "transfers",
        "wave_start",
    )

    def __init__(self, linkedid: str, at: float) -> None:
        self.linkedid = linkedid
        self.started_at = at
        self.channels: dict[str, None] = {}  # an ordered set of uniqueids
        self.caller_uid: str | None = None
        self.caller = ""
        self.caller_name = ""
        self.callee = ""
        self.did: str | None = None
        self.dialled = ""
        self.direction: Direction = "internal"
        self.queue: str | None = None
        self.queued_at: float | None = None  # when the caller joined the queue
        # the queue the caller left with the call-back key (cti-queue-callback)
        self.callback_requested: str | None = None
        self.callback_of: str | None = None  # a queue call-back: the linkedid of the call it serves
        self.agents_rang: list[str] = []
        self.wave_start = 0
        self.ringing: tuple[str, ...] = ()
        self.ring_seen = False
        self.answered_by: str | None = None
        self.answered_at: float | None = None
        # an agent counted as rung only because it answered (see lifecycle._try_answer)
        self.rang_by_answer: str | None = None
        self.transfers: list[Transfer] = []
        self.recording: str | None = None
        self.route_reason: str | None = None
        self.dial_status = ""
        self.caller_cause = ""
        self.abandoned = False
        self.originated = False
        self.started = False
        self.suppressed = False
        self.note: str | None = None
        self.reconstructed = False  # facts filled in after a gap (see note)

    @property
    def answered(self) -> bool:
        return self.answered_at is not None

    def note_rang(self, agent: str) -> None:
        """Agents rung at once (ring-all) form a wave, sorted by extension; waves in time order."""
        if agent in self.agents_rang or agent == self.caller:
            return
        self.agents_rang.append(agent)
        self.agents_rang[self.wave_start :] = sorted(self.agents_rang[self.wave_start :])

    def close_wave(self) -> None:
        self.wave_start = len(self.agents_rang)
