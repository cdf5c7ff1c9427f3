"""Read-only: today's queue calls as stored, so live queue statistics survive a restart.

`queue_calls_since(sessions, day_start)` returns one row per stored call that entered a queue and
started at or after `day_start`. The caller aggregates (the CTI bridge's stats calculator does).
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from crm_core.db import Sessions
from crm_core.models import Call


class QueueCallRow(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)

    linkedid: str
    queue: str
    disposition: str | None
    answered_by: str
    wait_seconds: int
    talk_seconds: int


async def queue_calls_since(sessions: Sessions, day_start: datetime) -> list[QueueCallRow]:
    """Calls with a queue, started at or after `day_start` (aware datetime), oldest first."""
    statement = (
        select(Call)
        .where(Call.queue != "", Call.started_at >= day_start)
        .order_by(Call.started_at, Call.id)
    )
    async with sessions() as session:
        rows = await session.scalars(statement)
        return [QueueCallRow.model_validate(row) for row in rows]
