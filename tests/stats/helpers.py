"""Building blocks for the stats tests: recorded streams and synthetic AMI events."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cti.ami.recorded import load_events
from cti.state.events import AmiEvent
from cti.stats.calculator import QueueStats

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
WRAPUP = {"sales": 0.0, "support": 10.0}


def recorded(name: str) -> list[AmiEvent]:
    return load_events(SCENARIOS / f"{name}.ami")


def fixed_day(_now: float) -> float:
    return 0.0


def calculator() -> QueueStats:
    return QueueStats(WRAPUP, day_start=fixed_day)


def event(name: str, at: float, **headers: str) -> AmiEvent:
    return AmiEvent.from_headers({"Event": name, "Timestamp": str(at), **headers})


def join(queue: str, linkedid: str, at: float) -> AmiEvent:
    return event("QueueCallerJoin", at, Queue=queue, Uniqueid=linkedid, Linkedid=linkedid)


def connect(queue: str, linkedid: str, agent: str, at: float, hold: int = 0) -> AmiEvent:
    return event(
        "AgentConnect", at, Queue=queue, Uniqueid=linkedid, Linkedid=linkedid,
        Interface=f"PJSIP/{agent}", MemberName=agent, HoldTime=str(hold),
    )  # fmt: skip


def complete(queue: str, linkedid: str, agent: str, at: float, talk: int) -> AmiEvent:
    return event(
        "AgentComplete", at, Queue=queue, Uniqueid=linkedid, Linkedid=linkedid,
        Interface=f"PJSIP/{agent}", TalkTime=str(talk),
    )  # fmt: skip


def abandon(queue: str, linkedid: str, at: float) -> AmiEvent:
    return event("QueueCallerAbandon", at, Queue=queue, Uniqueid=linkedid, Linkedid=linkedid)


def leave(queue: str, linkedid: str, at: float) -> AmiEvent:
    return event("QueueCallerLeave", at, Queue=queue, Uniqueid=linkedid, Linkedid=linkedid)


def member(
    queue: str, agent: str, at: float, status: int = 1, paused: str = "0", **extra: str
) -> AmiEvent:
    return event(
        "QueueMemberStatus", at, Queue=queue, Interface=f"PJSIP/{agent}", MemberName=agent,
        Status=str(status), Paused=paused, InCall="0", **extra,
    )  # fmt: skip


def queue_view(snapshot: dict[str, Any], name: str) -> dict[str, Any]:
    queues = snapshot["queues"]
    assert isinstance(queues, list)
    return next(q for q in queues if q["name"] == name)


def agent_view(snapshot: dict[str, Any], extension: str) -> dict[str, Any]:
    agents = snapshot["agents"]
    assert isinstance(agents, list)
    return next(a for a in agents if a["extension"] == extension)
