"""Agent events: the CTI bridge records queue logins/logouts and pauses; reports sum their time.

Recording is idempotent: an event already stored (same extension, queue, kind and time) is
skipped, so a retried batch or a replay after a reconnect stores nothing twice. Not audited:
these are Asterisk's facts, not changes a user made.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.models import AgentEvent, UserExtension
from crm_core.services.agent_time_sql import agent_time_query
from crm_core.services.base import ServiceBase
from crm_core.services.dto.agent_events import AgentEventIn, AgentEventKind, AgentTime, MemberState


def _insert(dialect: str) -> Any:
    table = AgentEvent.__table__
    assert isinstance(table, Table)
    insert = pg_insert(table) if dialect == "postgresql" else sqlite_insert(table)
    return insert.on_conflict_do_nothing(index_elements=["extension", "queue", "kind", "at"])


async def agent_time(
    session: AsyncSession, start: datetime, end: datetime,
    agent: str | None = None, queue: str | None = None,
) -> dict[str, AgentTime]:  # fmt: skip
    """Login and pause time per extension over [start, end) (see agent_time_sql)."""
    dialect = session.get_bind().dialect.name
    query = agent_time_query(dialect, start, end, datetime.now(UTC), agent, queue)
    times: dict[str, AgentTime] = {}
    for row in await session.execute(query):
        time = times.setdefault(row.extension, AgentTime(extension=row.extension))
        time.login_seconds += round(float(row.login or 0))
        if row.reason is not None:
            pause = round(float(row.pause or 0))
            time.pause_seconds += pause
            time.pause_reasons[row.reason] = time.pause_reasons.get(row.reason, 0) + pause
    return times


class AgentEventService(ServiceBase):
    async def record_many(self, events: Sequence[AgentEventIn]) -> None:
        """Store new events; ones already stored are skipped."""
        if not events:
            return
        async with self._sessions.begin() as session:
            users = await self._users(session, {event.extension for event in events})
            rows = [
                event.model_dump()
                | {"kind": event.kind.value, "user_id": users.get(event.extension)}
                for event in events
            ]
            await session.execute(_insert(session.get_bind().dialect.name), rows)

    async def last_states(self) -> list[MemberState]:
        """Each (extension, queue)'s state after its last stored event."""
        last = select(func.max(AgentEvent.id)).group_by(AgentEvent.extension, AgentEvent.queue)
        async with self._sessions() as session:
            rows = await session.scalars(select(AgentEvent).where(AgentEvent.id.in_(last)))
            return [
                MemberState(
                    extension=row.extension,
                    queue=row.queue,
                    logged_in=row.kind != AgentEventKind.LOGOUT.value,
                    paused=row.kind == AgentEventKind.PAUSE.value,
                    reason=row.reason if row.kind == AgentEventKind.PAUSE.value else "",
                    at=row.at,
                )
                for row in rows
            ]

    async def time_by_agent(
        self, start: datetime, end: datetime, agent: str | None = None
    ) -> dict[str, AgentTime]:
        async with self._sessions() as session:
            return await agent_time(session, start, end, agent)

    async def _users(self, session: AsyncSession, extensions: set[str]) -> dict[str, int]:
        statement = select(UserExtension.extension, UserExtension.user_id).where(
            UserExtension.extension.in_(extensions)
        )
        return {row.extension: row.user_id for row in await session.execute(statement)}
