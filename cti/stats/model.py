"""The calculator's state: today's counters per queue, waiting callers, members and agents."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

# Asterisk device states (QueueMemberStatus Status)
NOT_INUSE, INUSE, BUSY, INVALID, UNAVAILABLE, RINGING, RINGINUSE, ONHOLD = 1, 2, 3, 4, 5, 6, 7, 8
OFFLINE_STATES = frozenset({INVALID, UNAVAILABLE})
TALKING_STATES = frozenset({INUSE, BUSY, ONHOLD, RINGINUSE})
DEFAULT_SERVICE_LEVEL = 20.0


class AgentState(StrEnum):
    OFFLINE = "offline"
    ON_CALL = "on_call"
    RINGING = "ringing"
    PAUSED = "paused"
    WRAPUP = "wrapup"
    AVAILABLE = "available"


@dataclass(slots=True)
class QueueDay:
    """Today's outcomes of one queue, keyed by linkedid so a call never counts twice."""

    offered: set[str] = field(default_factory=set)
    answered: dict[str, float] = field(default_factory=dict)  # linkedid -> wait
    abandoned: dict[str, float] = field(default_factory=dict)  # linkedid -> wait
    talk: dict[str, float] = field(default_factory=dict)  # completed linkedid -> talk seconds
    timed_out: set[str] = field(default_factory=set)  # left by the queue's timeout, not a hang-up


@dataclass(slots=True)
class Waiting:
    linkedid: str
    caller: str
    joined_at: float


@dataclass(slots=True)
class Member:
    """One agent's membership of one queue, as QueueMember/QueueMemberStatus report it."""

    status: int = NOT_INUSE
    paused: bool = False
    reason: str = ""
    in_call: bool = False
    wrapup: float = 0.0  # the member's own wrap-up (QueueMember Wrapuptime); 0: the queue's


@dataclass(slots=True)
class Agent:
    extension: str
    name: str = ""  # the member name Asterisk reports (queues.conf), not the CRM's
    interface: str = ""  # the member's interface as Asterisk reports it: `PJSIP/1001`
    state: AgentState = AgentState.OFFLINE
    since: float = 0.0
    linkedid: str | None = None
    handled: int = 0
    talk_seconds: float = 0.0
    pause_seconds: float = 0.0
    paused_since: float | None = None
    wrapup_until: float = 0.0
    counted: set[str] = field(default_factory=set)  # linkedids already in handled/talk


@dataclass(slots=True)
class QueueLive:
    service_level: float = DEFAULT_SERVICE_LEVEL
    waiting: dict[str, Waiting] = field(default_factory=dict)  # caller uniqueid -> entry
    members: dict[str, Member] = field(default_factory=dict)  # extension -> membership
    asterisk: dict[str, str] = field(default_factory=dict)  # the last QueueParams, as reported
