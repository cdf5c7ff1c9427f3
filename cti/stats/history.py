"""Seed today's counters from the calls stored in the CRM (so a restart never resets them)."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

from crm_core.db import Sessions
from crm_core.services.queue_history import QueueCallRow, queue_calls_since
from cti.stats.calculator import QueueStats

Seed = tuple[str, str | None, str, float, float]


def group_rows(rows: list[QueueCallRow]) -> dict[str, list[Seed]]:
    grouped: dict[str, list[Seed]] = defaultdict(list)
    for row in rows:
        seed = (row.linkedid, row.disposition, row.answered_by, row.wait_seconds, row.talk_seconds)
        grouped[row.queue].append(seed)
    return grouped


async def seed_from_db(stats: QueueStats, sessions: Sessions, now: float) -> int:
    """Adds today's stored queue calls to `stats`; returns how many rows were read."""
    day_start = datetime.fromtimestamp(stats.start_day(now), UTC)
    rows = await queue_calls_since(sessions, day_start)
    for queue, seeds in group_rows(rows).items():
        stats.seed(queue, seeds)
    return len(rows)
