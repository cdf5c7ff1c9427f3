"""Reports over stored calls, for supervisors and admins: per queue, per agent, over time.

Definitions (the live stats' ones, cti.stats, applied to the stored calls of the period):
  offered      calls that entered a queue (calls.queue != '') and started in [from, to)
  answered     offered with disposition 'answered'; abandoned: disposition 'abandoned'
  callback_requested  offered whose caller left the queue with the call-back key (the call-back
               calls are outbound records of their own, `callback_of`)
  abandon_wait mean wait of the abandoned calls (seconds)
  service level = answered within `threshold` s (wait_seconds <= threshold) / answered
  ASA          mean wait of the answered calls; AHT: mean talk of the answered calls
  longest_wait the longest wait of the offered calls
  missed call-backs  callback tasks due in the period, overdue and open now, or done late
  pause time   per agent, from the stored agent events (see report_agents, agent_time_sql)
The agent report counts the calls each agent answered (calls.answered_by, any queue or none);
offered and abandoned do not belong to one agent and are null there. Unknown queues or agents
give empty tables (200), not errors: queues are not a table of their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.models import Call, Task, User
from crm_core.models.enums import TaskKind
from crm_core.models.user import UserExtension
from crm_core.services.agent_events import agent_time
from crm_core.services.base import STAFF, ServiceBase, require_role
from crm_core.services.dto import Actor
from crm_core.services.dto.agent_events import AgentTime
from crm_core.services.dto.reports import Report, ReportKind, ReportQuery, ReportRow
from crm_core.services.report_agents import AGENT_TIME_NOTE, with_agent_time
from crm_core.services.report_sql import bucket_expression, bucket_keys, measures


def _number(value: Any) -> float | None:
    return None if value is None else float(value) if isinstance(value, Decimal) else value


def _row(key: str, values: Any, label: str = "") -> ReportRow:
    answered, within = int(values.answered), int(values.answered_within)
    return ReportRow(
        key=key,
        label=label or key,
        offered=int(values.offered),
        answered=answered,
        abandoned=int(values.abandoned),
        callback_requested=int(values.callback_requested),
        answered_within=within,
        service_level=within / answered if answered else None,
        abandon_wait=_number(values.abandon_wait),
        asa=_number(values.asa),
        aht=_number(values.aht),
        longest_wait=values.longest_wait,
        talk_seconds=int(values.talk_seconds),
    )


def _weighted(rows: list[ReportRow], value: str, weight: str) -> float | None:
    pairs = [(getattr(r, value), getattr(r, weight) or 0) for r in rows]
    total = sum(w for v, w in pairs if v is not None)
    return sum(v * w for v, w in pairs if v is not None) / total if total else None


def combine(rows: list[ReportRow], missed: int) -> ReportRow:
    """The totals of rows that partition the period's calls (no second scan of the table)."""
    answered = sum(r.answered for r in rows)
    within = sum(r.answered_within for r in rows)
    waits = [r.longest_wait for r in rows if r.longest_wait is not None]
    return ReportRow(
        key="total",
        label="Total",
        offered=sum(r.offered or 0 for r in rows),
        answered=answered,
        abandoned=sum(r.abandoned or 0 for r in rows),
        callback_requested=sum(r.callback_requested or 0 for r in rows),
        answered_within=within,
        service_level=within / answered if answered else None,
        abandon_wait=_weighted(rows, "abandon_wait", "abandoned"),
        asa=_weighted(rows, "asa", "answered"),
        aht=_weighted(rows, "aht", "answered"),
        longest_wait=max(waits) if waits else None,
        talk_seconds=sum(r.talk_seconds for r in rows),
        missed_callbacks=missed,
    )


def _agent_row(row: ReportRow) -> ReportRow:
    unowned = {"offered": None, "abandoned": None, "callback_requested": None, "abandon_wait": None}
    return row.model_copy(update=unowned)


class ReportService(ServiceBase):
    async def queues(self, actor: Actor, query: ReportQuery) -> Report:
        """One row per queue."""
        return await self._grouped(actor, query, ReportKind.QUEUES)

    async def agents(self, actor: Actor, query: ReportQuery) -> Report:
        """One row per agent extension that answered calls in the period."""
        return await self._grouped(actor, query, ReportKind.AGENTS)

    async def timeline(self, actor: Actor, query: ReportQuery) -> Report:
        """One row per hour, day or week of the period (empty buckets included, as zeros)."""
        require_role(actor, *STAFF)
        query.check_bucket_span()
        async with self._sessions() as session:
            dialect = session.get_bind().dialect.name
            bucket = bucket_expression(
                dialect, Call.started_at, query.bucket, query.tz, query.start
            )
            statement = self._calls(query, queue_calls=True).add_columns(bucket.label("k"))
            found = {r.k: r for r in await session.execute(statement.group_by(bucket))}
            due = bucket_expression(dialect, Task.due_at, query.bucket, query.tz, query.start)
            missed = await self._missed(session, query, due)
            missed_total = await self._missed(session, query, None)
        keys = sorted(set(bucket_keys(query.start, query.end, query.bucket, query.tz)) | set(found))
        rows = [self._bucket_row(key, found.get(key), missed.get(key, 0)) for key in keys]
        totals = combine(rows, missed_total.get("total", 0))
        return self._report(ReportKind.TIMELINE, query, rows, totals)

    # -- helpers --------------------------------------------------------------------------------
    async def _grouped(self, actor: Actor, query: ReportQuery, kind: ReportKind) -> Report:
        require_role(actor, *STAFF)
        by_queue = kind is ReportKind.QUEUES
        column = Call.queue if by_queue else Call.answered_by
        async with self._sessions() as session:
            statement = self._calls(query, queue_calls=by_queue).add_columns(column.label("k"))
            found = list(await session.execute(statement.group_by(column).order_by(column)))
            times: dict[str, AgentTime] = {}
            if by_queue:
                missed = await self._missed(session, query, Call.queue)
                labels: dict[str, str] = {}
            else:
                times = await agent_time(session, query.start, query.end, query.agent, query.queue)
                labels = await self._agent_names(session, [r.k for r in found] + list(times))
                missed = await self._missed_by_agent(session, query)
            missed_total = await self._missed(session, query, None)
        rows = [_row(r.k, r, labels.get(r.k, "")) for r in found]
        totals = combine(rows, missed_total.get("total", 0))
        keys = {row.key for row in rows}
        rows += [ReportRow(key=k, label=labels.get(k, k)) for k in sorted(set(missed) - keys)]
        rows = [row.model_copy(update={"missed_callbacks": missed.get(row.key, 0)}) for row in rows]
        if not by_queue:
            rows, totals = with_agent_time(map(_agent_row, rows), _agent_row(totals), times, labels)
        return self._report(kind, query, rows, totals)

    def _calls(self, query: ReportQuery, queue_calls: bool) -> Select[Any]:
        conditions: list[ColumnElement[bool]] = [
            Call.started_at >= query.start,
            Call.started_at < query.end,
        ]
        conditions.append(Call.queue != "" if queue_calls else Call.answered_by != "")
        if query.queue is not None:
            conditions.append(Call.queue == query.queue)
        if query.agent is not None:
            conditions.append(Call.answered_by == query.agent)
        if query.pbx is not None:
            conditions.append(Call.pbx == query.pbx)
        return select(*measures(query.threshold)).where(*conditions)

    def _bucket_row(self, key: str, values: Any, missed: int) -> ReportRow:
        row = _row(key, values) if values is not None else ReportRow(key=key, label=key)
        return row.model_copy(update={"missed_callbacks": missed})

    def _missed_condition(self, query: ReportQuery) -> ColumnElement[bool]:
        now = datetime.now(UTC)
        return and_(
            Task.kind == TaskKind.CALLBACK.value,
            Task.due_at >= query.start,
            Task.due_at < query.end,
            or_(
                and_(Task.done_at.is_(None), Task.due_at < now),
                Task.done_at > Task.due_at,
            ),
        )

    async def _missed(
        self, session: AsyncSession, query: ReportQuery, key: Any | None
    ) -> dict[str, int]:
        """Missed call-backs counted by `key` (a Call or Task column/expression; None: total)."""
        group = key if key is not None else literal("total")
        statement = select(group.label("k"), func.count(Task.id).label("n"))
        if query.queue is not None or key is Call.queue:
            statement = statement.join(Call, Call.id == Task.call_id).where(Call.queue != "")
        elif query.pbx is not None:
            statement = statement.join(Call, Call.id == Task.call_id)
        return await self._count(session, query, statement, group if key is not None else None)

    async def _missed_by_agent(self, session: AsyncSession, query: ReportQuery) -> dict[str, int]:
        """Per extension: a user's missed call-backs go to their first extension."""
        first = (
            select(UserExtension.user_id, func.min(UserExtension.extension).label("ext"))
            .group_by(UserExtension.user_id)
            .subquery()
        )
        statement = select(first.c.ext.label("k"), func.count(Task.id).label("n")).join(
            first, first.c.user_id == Task.assignee_id
        )
        if query.queue is not None or query.pbx is not None:
            statement = statement.join(Call, Call.id == Task.call_id)
        return await self._count(session, query, statement, first.c.ext)

    async def _count(
        self, session: AsyncSession, query: ReportQuery, statement: Select[Any], group: Any
    ) -> dict[str, int]:
        statement = statement.where(self._missed_condition(query))
        if query.queue is not None:
            statement = statement.where(Call.queue == query.queue)
        if query.pbx is not None:
            statement = statement.where(Call.pbx == query.pbx)
        if query.agent is not None:
            mine = select(UserExtension.user_id).where(UserExtension.extension == query.agent)
            statement = statement.where(Task.assignee_id.in_(mine.scalar_subquery()))
        if group is not None:
            statement = statement.group_by(group)
        return {str(r.k): int(r.n) for r in await session.execute(statement)}

    async def _agent_names(
        self, session: AsyncSession, extensions: Sequence[str]
    ) -> dict[str, str]:
        if not extensions:
            return {}
        statement = (
            select(UserExtension.extension, User.display_name, User.login)
            .join(User, User.id == UserExtension.user_id)
            .where(UserExtension.extension.in_(list(extensions)))
        )
        return {r.extension: r.display_name or r.login for r in await session.execute(statement)}

    def _report(
        self, kind: ReportKind, query: ReportQuery, rows: list[ReportRow], totals: ReportRow
    ) -> Report:
        return Report(
            kind=kind,
            start=query.start,
            end=query.end,
            bucket=query.bucket if kind is ReportKind.TIMELINE else None,
            tz=query.tz,
            threshold=query.threshold,
            queue=query.queue,
            agent=query.agent,
            rows=rows,
            totals=totals,
            notes=[AGENT_TIME_NOTE],
        )
