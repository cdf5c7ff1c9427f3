"""Agent and queue membership: one pure tracker beside the call tracker (no I/O).

The ingest pipeline feeds it every AMI event once, in order, the Resync after every (re)connect,
and the answer to the QueueStatus action sent after it (a `Listing`). It keeps who is a member of
which queue, paused or not (the `AgentRegistry` that routing, the agent page and the dialler
read), and returns what changed as typed changes for the pipeline's agent sinks: the live queue
stats (cti.stats), the agent event log (cti.agents.event_log) and the listing reader
(cti.agents.feed, the I/O: it sends QueueStatus when a `ListingWanted` says so).

    AmiEvent | Resync | Listing -> AgentTracker.apply -> [MemberSet | MemberLeft | QueueActivity
                                                          | Listed | ListingWanted]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cti.agents.registry import MEMBER_EVENTS, REMOVED, AgentRegistry, Member
from cti.state.events import AmiEvent, Resync

# Queue events that change no membership but what a supervisor sees: callers waiting, answered,
# abandoned, agents on a queue call, the queue's parameters.
QUEUE_EVENTS = frozenset(
    {
        "QueueCallerJoin", "QueueCallerLeave", "QueueCallerAbandon", "QueueEntry", "QueueParams",
        "AgentConnect", "AgentComplete",
    }
)  # fmt: skip
ABANDON = "QueueCallerAbandon"
# After a QueueCallerAbandon the caller's next DialBegin (Queue() timed out, the dialplan goes
# on: a timeout) or Hangup (an abandon) says which it was.
CALLER_NEXT = frozenset({"DialBegin", "Hangup"})


@dataclass(frozen=True, slots=True)
class Listing:
    """Asterisk's answer to QueueStatus (QueueParams, QueueMember, QueueEntry ...), read at `at`."""

    events: tuple[AmiEvent, ...]
    at: float

    @classmethod
    def of_replies(cls, replies: Sequence[dict[str, str]], at: float) -> Listing:
        return cls(tuple(AmiEvent.from_headers(reply, at) for reply in replies), at)


@dataclass(frozen=True, slots=True)
class MemberSet:
    """A QueueMember* event: `member` is now this membership (added, paused, status)."""

    event: AmiEvent
    member: Member


@dataclass(frozen=True, slots=True)
class MemberLeft:
    """QueueMemberRemoved: the member left the queue."""

    event: AmiEvent
    queue: str
    interface: str


@dataclass(frozen=True, slots=True)
class QueueActivity:
    """A caller or agent event of a queue (join, leave, abandon, connect, complete, params), or
    the DialBegin/Hangup that settles an earlier abandon; membership unchanged."""

    event: AmiEvent


@dataclass(frozen=True, slots=True)
class Listed:
    """A QueueStatus listing replaced every membership: `members`, as listed."""

    members: tuple[Member, ...]
    listing: Listing


@dataclass(frozen=True, slots=True)
class ListingWanted:
    """A (re)connect: what Asterisk did meanwhile is unknown; QueueStatus must be read again."""

    resync: Resync


AgentChange = MemberSet | MemberLeft | QueueActivity | Listed | ListingWanted
NO_CHANGES: tuple[AgentChange, ...] = ()


class AgentTracker:
    def __init__(self, registry: AgentRegistry | None = None) -> None:
        self.registry = registry if registry is not None else AgentRegistry()
        self._abandoned: set[str] = set()  # callers' uniqueids whose abandon is not settled

    def apply(self, item: AmiEvent | Resync | Listing) -> tuple[AgentChange, ...]:
        if isinstance(item, AmiEvent):
            return self._event(item)
        if isinstance(item, Resync):
            return (ListingWanted(item),)
        return self._listing(item)

    def members(self) -> list[Member]:
        return self.registry.members()

    def _event(self, event: AmiEvent) -> tuple[AgentChange, ...]:
        name = event.name
        if name in MEMBER_EVENTS:
            self.registry.apply(event)
            return (MemberSet(event, Member.from_headers(event.headers)),)
        if name == REMOVED:
            self.registry.apply(event)
            return (MemberLeft(event, event.get("Queue"), event.get("Interface")),)
        if name in QUEUE_EVENTS:
            if name == ABANDON:
                self._abandoned.add(event.get("Uniqueid"))
            return (QueueActivity(event),)
        if name in CALLER_NEXT and self._abandoned:
            uniqueid = event.get("Uniqueid")
            if uniqueid in self._abandoned:
                self._abandoned.discard(uniqueid)
                return (QueueActivity(event),)
        return NO_CHANGES

    def _listing(self, listing: Listing) -> tuple[AgentChange, ...]:
        members = tuple(
            Member.from_headers(event.headers)
            for event in listing.events
            if event.name == "QueueMember"
        )
        self.registry.replace(members)
        return (Listed(members, listing),)
