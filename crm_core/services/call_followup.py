"""What a finished call leaves behind on the CRM: a lead card, a call-back task, closed call-backs.

Runs as a `CallHook` inside the transaction that registers the call, so a call and its follow-up are
written together or not at all. It acts once, when a call first gets its disposition: registering
the same call again (a replay, a reconnect) changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.models import Call, Contact, Phone, Task, User
from crm_core.models.enums import (
    AuditAction,
    ContactStatus,
    Direction,
    Disposition,
    Role,
    TaskKind,
)
from crm_core.phones import phone_kind
from crm_core.services.audit import record
from crm_core.services.dto import Actor, CallOut, TaskCreate
from crm_core.services.lead_distribution import distribute
from crm_core.services.lead_rules_dto import LeadFacts
from crm_core.services.tasks import insert_task
from crm_core.webhooks.outbox import emit

LeadPolicy = Literal["always", "answered", "never"]
UNANSWERED = (Disposition.MISSED, Disposition.ABANDONED)


@dataclass(frozen=True)
class FollowUpRules:
    lead_policy: LeadPolicy = "always"
    queue_supervisors: dict[str, str] = field(default_factory=dict)
    """queue name -> login of who gets the call-backs of card-less callers of that queue."""

    async def __call__(
        self, session: AsyncSession, actor: Actor, call: CallOut, before: CallOut | None
    ) -> None:
        if not _just_finished(call, before) or call.external_e164 is None:
            return  # still going, or anonymous / withheld / garbage: nobody to call back
        if call.direction == Direction.OUTBOUND:
            if call.disposition == Disposition.ANSWERED:  # the agent called the client back
                await _close_callbacks(session, actor, call, call.contact_id)
            return
        if call.direction != Direction.INBOUND:
            return
        contact_id = call.contact_id or await self._lead_for(session, actor, call)
        if call.disposition == Disposition.ANSWERED:
            await _close_callbacks(session, actor, call, contact_id)
        elif call.disposition in UNANSWERED:
            await self._callback_task(session, actor, call, contact_id)

    async def _lead_for(self, session: AsyncSession, actor: Actor, call: CallOut) -> int | None:
        wanted = self.lead_policy == "always" or (
            self.lead_policy == "answered" and call.disposition == Disposition.ANSWERED
        )
        if not wanted or call.company_id is not None:
            return None
        return await _create_lead(session, actor, call)

    async def _callback_task(
        self, session: AsyncSession, actor: Actor, call: CallOut, contact_id: int | None
    ) -> None:
        if await _open_callback_exists(session, call, contact_id):
            return
        assignee = await self._assignee(session, contact_id, call.queue)
        if assignee is None:
            return
        subject = f"Call back {call.external_e164} ({call.disposition} call)"
        task = TaskCreate(
            kind=TaskKind.CALLBACK,
            subject=subject[:200],
            due_at=call.ended_at or datetime.now(UTC),
            assignee_id=assignee,
            contact_id=contact_id,
            call_id=call.id,
        )
        await insert_task(session, actor, task)

    async def _assignee(
        self, session: AsyncSession, contact_id: int | None, queue: str
    ) -> int | None:
        if contact_id is not None:
            owner = await session.scalar(select(Contact.owner_id).where(Contact.id == contact_id))
            if owner is not None:
                return owner
        login = self.queue_supervisors.get(queue)
        if login:
            named = await session.scalar(select(User.id).where(User.login == login))
            if named is not None:
                return named
        return await _first_staff(session)


def _just_finished(call: CallOut, before: CallOut | None) -> bool:
    return call.disposition is not None and (before is None or before.disposition is None)


async def _create_lead(session: AsyncSession, actor: Actor, call: CallOut) -> int:
    assert call.external_e164 is not None
    lead = Contact(
        last_name=call.external_e164,
        status=ContactStatus.LEAD.value,
        source="call",
        created_from_call_id=call.id,
        search_text=call.external_e164.lower(),
    )
    lead.phones = [
        Phone(e164=call.external_e164, raw=call.caller, kind=phone_kind(call.external_e164))
    ]
    session.add(lead)
    await session.flush()
    await session.execute(update(Call).where(Call.id == call.id).values(contact_id=lead.id))
    record(session, actor, AuditAction.CREATE, "contacts", lead.id, {"created_from_call": call.id})
    _emit_lead(session, lead.id, call)
    await distribute(session, actor, [lead_facts(lead.id, call)])
    return lead.id


def lead_facts(contact_id: int, call: CallOut) -> LeadFacts:
    """What the lead rules know of a lead a call made: the caller's number and the DID dialled."""
    return LeadFacts(contact_id=contact_id, source="call", e164=call.external_e164,
                     did=call.callee or None, call_id=call.id)  # fmt: skip


def _emit_lead(session: AsyncSession, lead_id: int, call: CallOut) -> None:
    contact = {
        "id": lead_id,
        "last_name": call.external_e164,
        "status": ContactStatus.LEAD.value,
        "source": "call",
        "phones": [call.external_e164],
        "created_from_call_id": call.id,
    }
    emit(session, "contact.created", {"contact": contact}, f"contact:{lead_id}")


async def _open_callback_ids(
    session: AsyncSession, call: CallOut, contact_id: int | None
) -> list[int]:
    """Open call-backs for this caller: on the card, or from an earlier call from the number."""
    same_caller = Call.external_e164 == call.external_e164
    if contact_id is not None:
        same_caller = or_(same_caller, Task.contact_id == contact_id)
    statement = (
        select(Task.id)
        .outerjoin(Call, Call.id == Task.call_id)
        .where(Task.done_at.is_(None), Task.kind == TaskKind.CALLBACK.value, same_caller)
    )
    return list(await session.scalars(statement))


async def _open_callback_exists(
    session: AsyncSession, call: CallOut, contact_id: int | None
) -> bool:
    return bool(await _open_callback_ids(session, call, contact_id))


async def _close_callbacks(
    session: AsyncSession, actor: Actor, call: CallOut, contact_id: int | None
) -> None:
    now = datetime.now(UTC)
    result = f"closed by answered call {call.linkedid}"
    for task_id in await _open_callback_ids(session, call, contact_id):
        await session.execute(
            update(Task).where(Task.id == task_id).values(done_at=now, result=result)
        )
        record(session, actor, AuditAction.UPDATE, "tasks", task_id, {"done_at": now.isoformat()})


async def _first_staff(session: AsyncSession) -> int | None:
    for role in (Role.SUPERVISOR, Role.ADMIN):
        user_id = await session.scalar(
            select(User.id).where(User.role == role.value, User.active).order_by(User.id).limit(1)
        )
        if user_id is not None:
            return user_id
    return None
