"""Reading call-backs with what the page needs beside the task: the client's name, the number to
dial, the assignee's login and extensions (one query each, never one per row)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.models import Contact, Phone, Task, User, UserExtension
from crm_core.models.enums import TaskKind
from crm_core.services.dto.callbacks import CallbackOut, DueCallback
from crm_core.services.dto.tasks import TaskOut

Row = tuple[Task, str, str, str]
RowSelect = Select[Task, str, str, str]


def callbacks() -> RowSelect:
    """Call-back tasks with the contact's first and last name and the assignee's login."""
    return (
        select(Task, Contact.first_name, Contact.last_name, User.login)
        .join(User, User.id == Task.assignee_id)
        .outerjoin(Contact, Contact.id == Task.contact_id)
        .where(Task.kind == TaskKind.CALLBACK.value)
        .order_by(Task.due_at, Task.id)
    )


async def _phones(session: AsyncSession, contact_ids: set[int]) -> dict[int, str]:
    """The first number of each contact, E.164 when it has one."""
    rows = await session.execute(
        select(Phone.contact_id, Phone.e164, Phone.raw)
        .where(Phone.contact_id.in_(contact_ids))
        .order_by(Phone.id)
    )
    first: dict[int, str] = {}
    for contact_id, e164, raw in rows:
        if contact_id is not None:
            first.setdefault(contact_id, e164 or raw)
    return first


async def _extensions(session: AsyncSession, user_ids: set[int]) -> dict[int, list[str]]:
    rows = await session.execute(
        select(UserExtension.user_id, UserExtension.extension)
        .where(UserExtension.user_id.in_(user_ids))
        .order_by(UserExtension.extension)
    )
    found: dict[int, list[str]] = {}
    for user_id, extension in rows:
        found.setdefault(user_id, []).append(extension)
    return found


def _out(row: Row, phones: dict[int, str], now: datetime) -> CallbackOut:
    task, first, last, login = row
    task_out = TaskOut.model_validate(task)
    overdue = task.done_at is None and task.due_at is not None and task.due_at < now
    return CallbackOut(
        **task_out.model_dump(),
        contact_name=f"{first or ''} {last or ''}".strip(),
        phone=phones.get(task.contact_id) if task.contact_id is not None else None,
        assignee_login=login,
        overdue=overdue,
    )


async def read(session: AsyncSession, statement: RowSelect, now: datetime) -> list[CallbackOut]:
    rows: Sequence[Row] = [tuple(row) for row in await session.execute(statement)]  # type: ignore[misc]
    phones = await _phones(session, {row[0].contact_id for row in rows if row[0].contact_id})
    return [_out(row, phones, now) for row in rows]


async def read_due(session: AsyncSession, statement: RowSelect, now: datetime) -> list[DueCallback]:
    found = await read(session, statement, now)
    extensions = await _extensions(session, {item.assignee_id for item in found})
    return [due(item, extensions.get(item.assignee_id, [])) for item in found]


def due(item: CallbackOut, extensions: Iterable[str]) -> DueCallback:
    return DueCallback(**item.model_dump(), extensions=list(extensions))
