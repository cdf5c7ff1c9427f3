"""Calls: the CTI bridge registers each business call (upsert by linkedid); users read them.

Extending: `CallService.add_hook(hook)` registers a coroutine run inside the registering transaction
after each upsert, e.g. a rule creating a call-back task for a missed call (see `CallHook`). A hook
with a batch form (call_followup_batch.batch_form: the follow-up rules) runs once per batch.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.errors import NotFoundError
from crm_core.models import Call
from crm_core.models.enums import AuditAction
from crm_core.services.audit import diff
from crm_core.services.base import ServiceBase
from crm_core.services.bulk_rows import Audit, AuditRows
from crm_core.services.call_batch import (
    delete_states,
    matched_rows,
    numbers_of,
    read_known,
    unique_runs,
    upsert_all,
)
from crm_core.services.call_followup_batch import BatchHook, batch_form
from crm_core.services.dto import Actor, CallFilter, CallOut, CallRecord, Page
from crm_core.services.fencing import Fence, check_fence

CallHook = Callable[[AsyncSession, Actor, CallOut, CallOut | None], Awaitable[None]]
"""(session, actor, call now, call before or None when new), run in the registering transaction."""


def _filter_conditions(filters: CallFilter, agent_id: int | None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.started_from is not None:
        conditions.append(Call.started_at >= filters.started_from)
    if filters.started_to is not None:
        conditions.append(Call.started_at < filters.started_to)
    if agent_id is not None:
        conditions.append(Call.agent_id == agent_id)
    if filters.direction is not None:
        conditions.append(Call.direction == filters.direction.value)
    if filters.disposition is not None:
        conditions.append(Call.disposition == filters.disposition.value)
    if filters.contact_id is not None:
        conditions.append(Call.contact_id == filters.contact_id)
    if filters.pbx is not None:
        conditions.append(Call.pbx == filters.pbx)
    return conditions


def _audit(audit: Audit, before: CallOut | None, after: CallOut) -> None:
    now = after.model_dump(mode="json")
    if before is None:
        audit(AuditAction.CREATE, "calls", after.id, now)
        return
    changes = diff(before.model_dump(mode="json"), now)
    if changes:
        audit(AuditAction.UPDATE, "calls", after.id, changes)


class CallService(ServiceBase):
    def __init__(self, *args: Any, fence: Fence | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._hooks: list[tuple[CallHook, BatchHook | None]] = []
        self._fence = fence

    def add_hook(self, hook: CallHook) -> None:
        self._hooks.append((hook, batch_form(hook)))

    async def register(self, actor: Actor, data: CallRecord) -> CallOut:
        """Create or update the record of call `data.linkedid` (idempotent: never duplicates)."""
        return (await self.register_many(actor, [data]))[0]

    async def register_many(self, actor: Actor, records: Sequence[CallRecord]) -> Sequence[CallOut]:
        """`register` each record in turn, in one transaction (one commit): all or none; a fixed
        number of statements per batch (call_batch), not per call."""
        async with self._sessions.begin() as session:
            await check_fence(self._fence, session)
            stored: list[CallOut] = []
            for run in unique_runs(records):
                stored.extend(await self._register_run(session, actor, run))
            return stored

    async def _register_run(
        self, session: AsyncSession, actor: Actor, records: Sequence[CallRecord]
    ) -> list[CallOut]:
        numbers = numbers_of(records, self.region)
        known = await read_known(session, records, numbers)
        afters = await upsert_all(session, matched_rows(records, numbers, known))
        ended = [r.linkedid for r in records if r.ended_at is not None]
        await delete_states(session, ended, records[0].pbx)
        changes = [(afters[r.linkedid], known.befores.get(r.linkedid)) for r in records]
        for _hook, many in self._hooks:
            if many is not None:
                changes = await many(session, actor, changes)
        audit = AuditRows()
        for after, before in changes:
            _audit(audit.add_for(actor), before, after)
            for hook, many in self._hooks:
                if many is None:
                    await hook(session, actor, after, before)
        await audit.write(session)
        return [after for after, _ in changes]

    async def get(self, actor: Actor, call_id: int) -> CallOut:
        async with self._sessions() as session:
            row = await session.get(Call, call_id)
            if row is None or (actor.is_agent and row.agent_id != actor.id):
                raise NotFoundError("call", call_id)
            return CallOut.model_validate(row)

    async def list(self, actor: Actor, filters: CallFilter) -> Page[CallOut]:
        """Calls, newest first. Agents see only their own calls, whatever `agent_id` says."""
        agent_id = actor.id if actor.is_agent else filters.agent_id
        statement = select(Call).where(*_filter_conditions(filters, agent_id))
        async with self._sessions() as session:
            total = await session.scalar(select(func.count()).select_from(statement.subquery()))
            rows = await session.scalars(
                statement.order_by(Call.started_at.desc(), Call.id.desc())
                .limit(filters.limit)
                .offset(filters.offset)
            )
            items = [CallOut.model_validate(row) for row in rows]
        return Page(items=items, total=total or 0, limit=filters.limit, offset=filters.offset)
