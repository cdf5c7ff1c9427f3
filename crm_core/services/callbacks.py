"""Scheduled call-backs: an agent plans a call to a card's client at a date and time.

Stored as tasks of kind call-back with `scheduled` set. The bridge asks for the due ones
(`due`), claims each notification once (`claim_notified`: a conditional UPDATE, so a restart
or a second bridge never notifies twice) and, for auto-dial ones, records the dial.
Agents see and change their own call-backs only (another's is 404); staff see everyone's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.errors import ConflictError, InvalidFieldError, NotFoundError
from crm_core.models import Call, Contact, Task
from crm_core.models.enums import AuditAction, TaskKind
from crm_core.services import callback_rows as rows
from crm_core.services.audit import diff, record, snapshot
from crm_core.services.base import STAFF, ServiceBase, require_role
from crm_core.services.dto import Actor
from crm_core.services.dto.callbacks import (
    CallbackChange,
    CallbackCreate,
    CallbackDone,
    CallbackOut,
    CallbackRange,
)

# A due time picked in the current minute is a few seconds old by the time it is saved.
PAST_GRACE = timedelta(seconds=90)


def _require_future(due_at: datetime, now: datetime) -> None:
    if due_at < now - PAST_GRACE:
        raise InvalidFieldError(
            "due_at", "is in the past; pick a time from now on", code="in_the_past"
        )


@dataclass(frozen=True, slots=True)
class Planned:
    contact_id: int
    assignee_id: int
    due_at: datetime


async def insert_callbacks(
    session: AsyncSession, actor: Actor, plans: Sequence[Planned], subject: str, auto_dial: bool
) -> list[CallbackOut]:
    """Many call-backs in an open transaction (the rotation's bulk plan), each audited as one
    planned on a card; the cards and assignees are known to exist."""
    tasks = [
        Task(
            kind=TaskKind.CALLBACK.value, scheduled=True, subject=subject, auto_dial=auto_dial,
            contact_id=plan.contact_id, assignee_id=plan.assignee_id, due_at=plan.due_at,
        )
        for plan in plans
    ]  # fmt: skip
    session.add_all(tasks)
    await session.flush()
    for task in tasks:
        changes = {
            "contact_id": task.contact_id, "assignee_id": task.assignee_id, "subject": subject,
            "due_at": task.due_at.isoformat() if task.due_at else None, "auto_dial": auto_dial,
        }  # fmt: skip
        record(session, actor, AuditAction.CREATE, "tasks", task.id, changes)
    statement = rows.callbacks().where(Task.id.in_([task.id for task in tasks]))
    return await rows.read(session, statement, datetime.now(UTC))


class CallbackService(ServiceBase):
    async def schedule(self, actor: Actor, data: CallbackCreate) -> CallbackOut:
        if actor.id is None:
            raise ConflictError("a call-back is planned by a user", code="planned_by_user")
        _require_future(data.due_at, datetime.now(UTC))
        async with self._sessions.begin() as session:
            for model, key in ((Contact, data.contact_id), (Call, data.call_id)):
                if key is not None and await session.get(model, key) is None:
                    raise NotFoundError(model.__tablename__[:-1], key)
            task = Task(
                kind=TaskKind.CALLBACK.value, scheduled=True, assignee_id=actor.id,
                **data.model_dump(),
            )  # fmt: skip
            session.add(task)
            await session.flush()
            record(session, actor, AuditAction.CREATE, "tasks", task.id, snapshot(data))
            return await self._one(session, task.id)

    async def change(self, actor: Actor, task_id: int, data: CallbackChange) -> CallbackOut:
        """A new due time is notified (and auto-dialled) again."""
        async with self._sessions.begin() as session:
            task = await self._open(session, actor, task_id)
            before = snapshot(await self._one(session, task_id))
            if data.due_at is not None:
                _require_future(data.due_at, datetime.now(UTC))
                task.notified_at = task.dialed_at = None
            for key, value in data.model_dump(exclude_none=True).items():
                setattr(task, key, value)
            await session.flush()
            after = await self._one(session, task_id)
            changes = diff(before, snapshot(after, exclude={"overdue"}))
            record(session, actor, AuditAction.UPDATE, "tasks", task_id, changes)
            return after

    async def done(self, actor: Actor, task_id: int, data: CallbackDone) -> CallbackOut:
        async with self._sessions.begin() as session:
            task = await self._open(session, actor, task_id)
            task.done_at, task.result = datetime.now(UTC), data.result
            await session.flush()
            changes = {"done_at": [None, task.done_at.isoformat()], "result": data.result}
            record(session, actor, AuditAction.UPDATE, "tasks", task_id, changes)
            return await self._one(session, task_id)

    async def mine(self, actor: Actor, period: CallbackRange | None = None) -> list[CallbackOut]:
        """Open call-backs, soonest first; with a period: those due in it, done ones too."""
        statement = rows.callbacks().where(Task.assignee_id == actor.id)
        if period is None:
            statement = statement.where(Task.done_at.is_(None))
        else:
            statement = statement.where(Task.due_at >= period.start, Task.due_at < period.end)
            if not period.include_done:
                statement = statement.where(Task.done_at.is_(None))
        async with self._sessions() as session:
            return await rows.read(session, statement, datetime.now(UTC))

    async def overdue(self, actor: Actor, limit: int = 200) -> list[CallbackOut]:
        """Every agent's open call-backs past their time (supervisors and admins)."""
        require_role(actor, *STAFF)
        now = datetime.now(UTC)
        statement = rows.callbacks().where(Task.done_at.is_(None), Task.due_at < now)
        async with self._sessions() as session:
            return await rows.read(session, statement.limit(limit), now)

    async def _open(self, session: AsyncSession, actor: Actor, task_id: int) -> Task:
        task = await session.get(Task, task_id)
        if (
            task is None
            or task.kind != TaskKind.CALLBACK
            or (actor.is_agent and task.assignee_id != actor.id)
        ):
            raise NotFoundError("call-back", task_id)
        if task.done_at is not None:
            raise ConflictError(f"call-back {task_id} is already done", code="callback_done")
        return task

    async def _one(self, session: AsyncSession, task_id: int) -> CallbackOut:
        statement = rows.callbacks().where(Task.id == task_id)
        return (await rows.read(session, statement, datetime.now(UTC)))[0]
