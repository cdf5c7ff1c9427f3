"""Tasks: agents see and change their own; supervisors and admins see everyone's.

An agent asking for another agent's task gets NotFoundError (404), as if it did not exist:
the API does not reveal which task ids belong to others.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.errors import NotFoundError, PermissionDeniedError
from crm_core.models import Call, Contact, Task, User
from crm_core.models.enums import AuditAction
from crm_core.services.audit import diff, record, snapshot
from crm_core.services.base import ServiceBase
from crm_core.services.dto import (
    Actor,
    Page,
    TaskCreate,
    TaskFilter,
    TaskOut,
    TaskScope,
    TaskUpdate,
)


def _scope_condition(scope: TaskScope, now: datetime) -> ColumnElement[bool] | None:
    day_start = datetime.combine(now.date(), time(), tzinfo=UTC)
    open_task = Task.done_at.is_(None)
    if scope == TaskScope.OPEN:
        return open_task
    if scope == TaskScope.TODAY:
        return (
            open_task & (Task.due_at >= day_start) & (Task.due_at < day_start + timedelta(days=1))
        )
    if scope == TaskScope.OVERDUE:
        return open_task & (Task.due_at < now)
    return None


async def insert_task(session: AsyncSession, actor: Actor, data: TaskCreate) -> TaskOut:
    """Create a task inside an open transaction (for services and call hooks)."""
    assignee_id = data.assignee_id if data.assignee_id is not None else actor.id
    if assignee_id is None:
        raise PermissionDeniedError("a task needs an assignee", code="task_needs_assignee")
    if actor.is_agent and assignee_id != actor.id:
        raise PermissionDeniedError("agents assign tasks to themselves only", code="own_tasks_only")
    for model, key in ((User, assignee_id), (Contact, data.contact_id), (Call, data.call_id)):
        if key is not None and await session.get(model, key) is None:
            raise NotFoundError(model.__tablename__[:-1], key)
    task = Task(**data.model_dump(exclude={"assignee_id"}), assignee_id=assignee_id)
    session.add(task)
    await session.flush()
    record(session, actor, AuditAction.CREATE, "tasks", task.id, snapshot(data))
    return TaskOut.model_validate(task)


class TaskService(ServiceBase):
    async def create(self, actor: Actor, data: TaskCreate) -> TaskOut:
        async with self._sessions.begin() as session:
            return await insert_task(session, actor, data)

    async def get(self, actor: Actor, task_id: int) -> TaskOut:
        async with self._sessions() as session:
            return TaskOut.model_validate(await self._visible(session, actor, task_id))

    async def update(self, actor: Actor, task_id: int, data: TaskUpdate) -> TaskOut:
        """Change a task; `done=True` completes it (stamps done_at), `done=False` reopens it."""
        async with self._sessions.begin() as session:
            task = await self._visible(session, actor, task_id)
            before = TaskOut.model_validate(task).model_dump(mode="json")
            for key, value in data.model_dump(exclude_unset=True, exclude={"done"}).items():
                setattr(task, key, value)
            if data.done is not None:
                task.done_at = (task.done_at or datetime.now(UTC)) if data.done else None
            await session.flush()
            after = TaskOut.model_validate(task)
            changes = diff(before, after.model_dump(mode="json"))
            record(session, actor, AuditAction.UPDATE, "tasks", task_id, changes)
            return after

    async def list(self, actor: Actor, filters: TaskFilter) -> Page[TaskOut]:
        """The actor's tasks (staff may pass another `assignee_id`), soonest due first."""
        assignee_id = (
            actor.id if actor.is_agent or filters.assignee_id is None else filters.assignee_id
        )
        statement = select(Task).where(Task.assignee_id == assignee_id)
        condition = _scope_condition(filters.scope, datetime.now(UTC))
        if condition is not None:
            statement = statement.where(condition)
        async with self._sessions() as session:
            total = await session.scalar(select(func.count()).select_from(statement.subquery()))
            rows = await session.scalars(
                statement.order_by(Task.due_at.is_(None), Task.due_at, Task.id)
                .limit(filters.limit)
                .offset(filters.offset)
            )
            items = [TaskOut.model_validate(row) for row in rows]
        return Page(items=items, total=total or 0, limit=filters.limit, offset=filters.offset)

    async def _visible(self, session: AsyncSession, actor: Actor, task_id: int) -> Task:
        task = await session.get(Task, task_id)
        if task is None or (actor.is_agent and task.assignee_id != actor.id):
            raise NotFoundError("task", task_id)
        return task
