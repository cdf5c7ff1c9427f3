"""Rotation: the cards nobody has contacted for N days, and what a manager does with them.

Contacted means an answered call in either direction, a note, or a completed task
(crm_core.services.last_contact). A card never contacted counts from the day it was made, so a
lead created yesterday is not "30 days without contact". Agents see and act on the cards they
own; supervisors and admins on everyone's. Every owner change is audited, like a card's edit.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.errors import InvalidFieldError, PermissionDeniedError
from crm_core.models import Call, Contact, Note, Task, User
from crm_core.models.enums import AuditAction, Disposition
from crm_core.services.audit import record
from crm_core.services.base import ServiceBase
from crm_core.services.callback_spread import spread
from crm_core.services.callbacks import Planned, insert_callbacks
from crm_core.services.contacts import CONTACT_LOAD
from crm_core.services.dto import Actor, ContactOut, Page, PageParams
from crm_core.services.dto.callbacks import CallbackOut
from crm_core.services.dto.rotation import (
    BulkAssign,
    BulkAssigned,
    BulkCallbacks,
    ContactKind,
    StaleContact,
    StaleFilter,
)
from crm_core.services.last_contact import called_in_queue, company_tagged, last_contact_at

EXPORT_CHUNK = 500
Seen = tuple[datetime, ContactKind]


def _visible_to(actor: Actor, wanted: StaleFilter) -> ColumnElement[bool] | None:
    """Agents: their own cards only (asking for another owner's is refused)."""
    if actor.is_agent:
        if wanted.owner_id not in (None, actor.id):
            raise PermissionDeniedError(
                f"agents see only their own clients; {actor.login} asked for user "
                f"{wanted.owner_id}'s",
                code="own_clients_only",
            )
        return Contact.owner_id == actor.id
    return Contact.owner_id == wanted.owner_id if wanted.owner_id is not None else None


def _statement(actor: Actor, wanted: StaleFilter, now: datetime) -> Select[Any]:
    last_at = last_contact_at().label("last_at")
    since = now - timedelta(days=wanted.days)
    inner = select(Contact.id.label("id"), Contact.created_at.label("created_at"), last_at).where(
        Contact.archived_at.is_(None),
        Contact.status.in_([status.value for status in wanted.statuses]),
    )
    for condition in (
        _visible_to(actor, wanted),
        company_tagged(wanted.tag) if wanted.tag else None,
        called_in_queue(wanted.queue) if wanted.queue else None,
        Contact.id.in_(wanted.contact_ids) if wanted.contact_ids is not None else None,
    ):
        if condition is not None:
            inner = inner.where(condition)
    rows = inner.subquery()
    reference = func.coalesce(rows.c.last_at, rows.c.created_at)
    return select(rows.c.id).where(reference < since).order_by(reference, rows.c.id)


async def _last_contacts(session: AsyncSession, ids: Sequence[int]) -> dict[int, Seen]:
    """The newest contact of each card (when, what kind); a tie goes to the call."""
    found: dict[int, Seen] = {}

    def offer(contact_id: int | None, at: datetime | None, kind: ContactKind) -> None:
        if contact_id is None or at is None:
            return
        if contact_id not in found or at > found[contact_id][0]:
            found[contact_id] = (at, kind)

    calls = await session.execute(
        select(Call.contact_id, Call.direction, func.max(Call.started_at))
        .where(Call.contact_id.in_(ids), Call.disposition == Disposition.ANSWERED.value)
        .group_by(Call.contact_id, Call.direction)
    )
    for contact_id, direction, call_at in calls:
        offer(contact_id, _aware(call_at), ContactKind(f"call_{direction}"))
    for model, column, kind, extra in (
        (Note, Note.created_at, ContactKind.NOTE, None),
        (Task, Task.done_at, ContactKind.TASK, Task.done_at.is_not(None)),
    ):
        statement = select(model.contact_id, func.max(column)).where(model.contact_id.in_(ids))
        if extra is not None:
            statement = statement.where(extra)
        for contact_id, other_at in await session.execute(statement.group_by(model.contact_id)):
            offer(contact_id, _aware(other_at), kind)
    return found


def _aware(value: datetime | str | None) -> datetime | None:
    """max() of a column loses its type on SQLite (text) and keeps it naive there."""
    if value is None:
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def _rows(session: AsyncSession, ids: Sequence[int], now: datetime) -> list[StaleContact]:
    if not ids:
        return []
    contacts = {
        row.id: row
        for row in (
            await session.scalars(select(Contact).where(Contact.id.in_(ids)).options(*CONTACT_LOAD))
        ).unique()
    }
    seen = await _last_contacts(session, ids)
    out: list[StaleContact] = []
    for contact_id in ids:
        card = ContactOut.model_validate(contacts[contact_id])
        at, kind = seen.get(contact_id, (None, None))
        days = (now - (at or card.created_at)).days
        out.append(
            StaleContact(
                **card.model_dump(), last_contact_at=at, last_contact_kind=kind, days_since=days
            )
        )
    return out


class RotationService(ServiceBase):
    def check_may_list(self, actor: Actor, wanted: StaleFilter) -> None:
        _visible_to(actor, wanted)

    async def stale(
        self, actor: Actor, wanted: StaleFilter, page: PageParams
    ) -> Page[StaleContact]:
        """The cards not contacted for `wanted.days` days, the longest-quiet first."""
        now = datetime.now(UTC)
        statement = _statement(actor, wanted, now)
        async with self._sessions() as session:
            total = await session.scalar(select(func.count()).select_from(statement.subquery()))
            ids = list(await session.scalars(statement.limit(page.limit).offset(page.offset)))
            items = await _rows(session, ids, now)
        return Page(items=items, total=total or 0, limit=page.limit, offset=page.offset)

    async def export(self, actor: Actor, wanted: StaleFilter) -> AsyncIterator[StaleContact]:
        """Every matching card, in the list's order, read EXPORT_CHUNK at a time."""
        now = datetime.now(UTC)
        statement = _statement(actor, wanted, now)
        offset = 0
        while True:
            async with self._sessions() as session:
                ids = list(await session.scalars(statement.limit(EXPORT_CHUNK).offset(offset)))
                rows = await _rows(session, ids, now)
            for row in rows:
                yield row
            if len(ids) < EXPORT_CHUNK:
                return
            offset += EXPORT_CHUNK

    async def assign(self, actor: Actor, data: BulkAssign) -> BulkAssigned:
        """Give the cards to `data.owner_id`; one audit entry per card whose owner changed."""
        async with self._sessions.begin() as session:
            owner = await session.get(User, data.owner_id)
            if owner is None or not owner.active:
                raise InvalidFieldError(
                    "owner_id",
                    f"no active user {data.owner_id}",
                    code="unknown_user",
                    params={"id": data.owner_id},
                )
            contacts = await self._cards(session, actor, data.contact_ids)
            changed = 0
            for contact in contacts:
                if contact.owner_id == data.owner_id:
                    continue
                before, contact.owner_id = contact.owner_id, data.owner_id
                changes = {"owner_id": [before, data.owner_id], "bulk": "rotation"}
                record(session, actor, AuditAction.UPDATE, "contacts", contact.id, changes)
                changed += 1
            return BulkAssigned(assigned=changed, unchanged=len(contacts) - changed)

    async def plan_callbacks(self, actor: Actor, data: BulkCallbacks) -> list[CallbackOut]:
        """One call-back per card, spread over the days asked for, for each card's owner."""
        if actor.id is None:
            raise PermissionDeniedError("call-backs are planned by a user", code="needs_a_user")
        async with self._sessions.begin() as session:
            contacts = await self._cards(session, actor, data.contact_ids)
            due = spread(data, len(contacts), datetime.now(UTC))
            plans = [
                Planned(contact.id, contact.owner_id or actor.id, at)
                for contact, at in zip(contacts, due, strict=True)
            ]
            return await insert_callbacks(session, actor, plans, data.subject, data.auto_dial)

    async def _cards(
        self, session: AsyncSession, actor: Actor, contact_ids: Sequence[int]
    ) -> list[Contact]:
        """The live cards, in the order asked (repeats dropped); an unknown or removed one is a
        422 naming `contact_ids`, an agent's reach for another owner's card a 403 naming them."""
        wanted = list(dict.fromkeys(contact_ids))
        rows = await session.scalars(
            select(Contact).where(Contact.id.in_(wanted), Contact.archived_at.is_(None))
        )
        found = {contact.id: contact for contact in rows}
        missing = [key for key in wanted if key not in found]
        if missing:
            listed = ", ".join(map(str, missing))
            raise InvalidFieldError(
                "contact_ids",
                f"unknown or removed cards: {listed}",
                code="unknown_cards",
                params={"ids": listed},
            )
        if actor.is_agent:
            others = [key for key in wanted if found[key].owner_id != actor.id]
            if others:
                raise PermissionDeniedError(
                    f"agents act only on their own clients; not yours: "
                    f"{', '.join(map(str, others))}",
                    code="own_clients_only",
                )
        return [found[key] for key in wanted]
