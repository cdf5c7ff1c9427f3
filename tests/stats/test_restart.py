"""A restarted bridge (a new calculator seeded from the stored calls) keeps today's counts."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from crm_core.services import Services
from crm_core.services.dto import Actor, CallRecord
from cti.stats.calculator import QueueStats
from cti.stats.history import seed_from_db
from tests.stats.helpers import agent_view, complete, connect, join, queue_view


def stored(
    linkedid: str, disposition: str, wait: int, talk: int = 0, agent: str = ""
) -> CallRecord:
    now = datetime.now(UTC)
    return CallRecord.model_validate({
        "linkedid": linkedid, "direction": "inbound", "caller": "+420601000001",
        "callee": "100", "queue": "sales", "answered_by": agent, "started_at": now,
        "ended_at": now, "wait_seconds": wait, "talk_seconds": talk, "disposition": disposition,
    })  # fmt: skip


async def test_restart_keeps_todays_counts(services: Services) -> None:
    for record in [
        stored("r1", "answered", 5, 30, "1001"),
        stored("r2", "answered", 25, 90, "1002"),
        stored("r3", "abandoned", 12),
        stored("r4", "missed", 20),
    ]:
        await services.calls.register(Actor.system("cti"), record)

    stats = QueueStats()
    now = time.time()
    assert await seed_from_db(stats, services.sessions, now) == 4
    # live traffic after the restart: a new call, and a late AgentComplete of a stored one
    for event in [join("sales", "r5", now), connect("sales", "r5", "1001", now + 4)]:
        stats.apply(event)
    stats.apply(complete("sales", "r1", "1001", now + 5, 30))

    snapshot = stats.snapshot(now + 6)
    sales = queue_view(snapshot, "sales")
    assert (sales["offered"], sales["answered"], sales["abandoned"]) == (5, 3, 1)
    assert sales["sl"] == 2 / 3  # 5 s and 4 s within 20 s, 25 s not
    assert sales["sl2"] == 3 / 4
    assert sales["asa"] == (5 + 25 + 4) / 3
    assert agent_view(snapshot, "1001")["handled"] == 1  # r1 once, though seen twice
    assert agent_view(snapshot, "1001")["talk_seconds"] == 30
