"""What the bridge's call-back scheduler asks: which planned call-backs are due, and marking them
notified (once) and dialled. A claim is a conditional UPDATE: of two bridges, or of one bridge
before and after a restart, exactly one gets rowcount 1 and notifies."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import CursorResult, update
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.models import Task
from crm_core.models.enums import AuditAction
from crm_core.services import callback_rows as rows
from crm_core.services.audit import record
from crm_core.services.base import ServiceBase
from crm_core.services.dto import Actor
from crm_core.services.dto.callbacks import DueCallback, DueQuery
from crm_core.webhooks.outbox import emit

BRIDGE = Actor.system("cti")


def _due(now: datetime) -> rows.RowSelect:
    return rows.callbacks().where(
        Task.scheduled.is_(True), Task.done_at.is_(None), Task.due_at <= now
    )


class DueCallbacks(ServiceBase):
    async def due(self, query: DueQuery) -> list[DueCallback]:
        """Planned, open, due and not notified yet: the notifications to send now."""
        statement = _due(query.now).where(Task.notified_at.is_(None)).limit(query.limit)
        async with self._sessions() as session:
            return await rows.read_due(session, statement, query.now)

    async def awaiting_dial(self, query: DueQuery) -> list[DueCallback]:
        """Auto-dial call-backs already notified but not dialled (the agent was busy)."""
        statement = _due(query.now).where(
            Task.auto_dial.is_(True), Task.notified_at.is_not(None), Task.dialed_at.is_(None)
        )
        async with self._sessions() as session:
            return await rows.read_due(session, statement.limit(query.limit), query.now)

    async def notified_open(self, assignee_id: int, since: datetime) -> list[DueCallback]:
        """Notified since `since` and still open: a page that (re)connects shows them again."""
        statement = rows.callbacks().where(
            Task.assignee_id == assignee_id, Task.scheduled.is_(True),
            Task.done_at.is_(None), Task.notified_at >= since,
        )  # fmt: skip
        async with self._sessions() as session:
            return await rows.read_due(session, statement.limit(50), datetime.now(UTC))

    async def of_task(self, task_id: int) -> DueCallback | None:
        """One open call-back task as a notification (a voicemail's: the page's notice)."""
        statement = rows.callbacks().where(Task.id == task_id, Task.done_at.is_(None))
        async with self._sessions() as session:
            found = await rows.read_due(session, statement, datetime.now(UTC))
            return found[0] if found else None

    async def claim_notified(self, task_id: int, at: datetime) -> bool:
        """True for the one caller that marks the call-back notified."""
        async with self._sessions.begin() as session:
            claimed = await _claim(session, task_id, "notified_at", at)
            if claimed:
                await _emit_due(session, task_id, at)
            return claimed

    async def mark_dialed(self, task_id: int, at: datetime, extension: str) -> bool:
        async with self._sessions.begin() as session:
            claimed = await _claim(session, task_id, "dialed_at", at)
            if claimed:
                changes = {"dialed_at": at.isoformat(), "extension": extension}
                record(session, BRIDGE, AuditAction.UPDATE, "tasks", task_id, changes)
            return claimed

    async def release_dialed(self, task_id: int) -> None:
        """The dial was refused: try again later."""
        async with self._sessions.begin() as session:
            await session.execute(update(Task).where(Task.id == task_id).values(dialed_at=None))


async def _emit_due(session: AsyncSession, task_id: int, at: datetime) -> None:
    """`callback.due`, in the claiming transaction: once per call-back, like its notice."""
    due = await rows.read_due(session, rows.callbacks().where(Task.id == task_id), at)
    for callback in due:
        data = {"callback": callback.model_dump(mode="json")}
        emit(session, "callback.due", data, f"callback:{callback.id}")


async def _claim(session: AsyncSession, task_id: int, name: str, at: datetime) -> bool:
    statement = (
        update(Task)
        .where(Task.id == task_id, getattr(Task, name).is_(None), Task.done_at.is_(None))
        .values({name: at})
    )
    result: CursorResult[object] = await session.execute(statement)  # type: ignore[assignment]
    return result.rowcount == 1
