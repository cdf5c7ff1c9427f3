"""The agent event log writes only changes, through a stage, and survives restarts and resyncs
(real SQLite and PostgreSQL; events as Asterisk sends them)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from crm_core.models import AgentEvent
from crm_core.services import Services
from cti.agents.event_log import AgentEventLog
from cti.agents.feed import AgentFeed
from cti.agents.registry import AgentRegistry, Member
from cti.ami.metrics import Counters
from cti.state.events import AmiEvent

T = datetime(2024, 3, 4, 8, 0, tzinfo=UTC).timestamp()


def member_event(name: str, queue: str, at: float, paused: str = "0", reason: str = "") -> AmiEvent:
    headers = {"Event": name, "Queue": queue, "Interface": "PJSIP/1004", "MemberName": "Dan",
               "Paused": paused, "PausedReason": reason, "Status": "1",
               "Timestamp": str(at)}  # fmt: skip
    return AmiEvent.from_headers(headers)


def listed(queue: str, paused: str = "0", reason: str = "") -> Member:
    return Member.from_headers(
        {"Queue": queue, "Location": "PJSIP/1004", "Paused": paused, "PausedReason": reason}
    )


async def stored(services: Services) -> list[tuple[str, str, str]]:
    async with services.sessions() as session:
        rows = await session.execute(select(AgentEvent).order_by(AgentEvent.at, AgentEvent.id))
        return [(r.queue, r.kind, r.reason) for (r,) in rows]


async def started(services: Services) -> tuple[AgentEventLog, AgentFeed]:
    log = AgentEventLog(services.agent_events, Counters())
    feed = AgentFeed(AgentRegistry(), ami=None)  # type: ignore[arg-type]  # no actions sent
    feed.listeners.append(log)
    await log.start()
    return log, feed


async def test_changes_only_and_nothing_twice_after_a_restart(services: Services) -> None:
    log, feed = await started(services)
    feed.observe(member_event("QueueMemberAdded", "support", T))
    feed.observe(member_event("QueueMemberStatus", "support", T + 5))  # no change: nothing
    feed.observe(member_event("QueueMemberPause", "support", T + 60, "1", "lunch"))
    feed.observe(member_event("QueueMemberPause", "support", T + 90, "1", "break"))
    feed.observe(member_event("QueueMemberPause", "support", T + 120, "0"))
    feed.observe(AmiEvent.from_headers({"Event": "Newchannel", "Timestamp": str(T + 121)}))
    await log.stop()
    assert await stored(services) == [
        ("support", "login", ""), ("support", "pause", "lunch"),
        ("support", "pause", "break"), ("support", "unpause", ""),
    ]  # fmt: skip

    # a restart, then the listing after connecting: Dan still in support, not paused, and now
    # in sales paused (he joined while the bridge was down): only that is new
    log, feed = await started(services)
    log.listing([listed("support"), listed("sales", "1", "training")], at=T + 600)
    log.listing([listed("support"), listed("sales", "1", "training")], at=T + 700)  # resync
    feed.observe(member_event("QueueMemberRemoved", "support", T + 800))
    log.listing([listed("sales", "1", "training")], at=T + 900)
    log.listing([], at=T + 1000)  # gone from every queue while the bridge was away
    await log.stop()
    kinds = [(q, k) for q, k, _ in (await stored(services))[4:]]
    assert kinds == [("sales", "login"), ("sales", "pause"), ("support", "logout"),
                     ("sales", "logout")]  # fmt: skip
