"""Closing a call's wrap-up: the code the agent picked (stored on the call), the note on the card
and the code's rule (a planned call-back), in one transaction.

A queue whose rule requires a code refuses a wrap-up without one; a code of another queue is
refused too (422 naming `wrapup_code`). Agents wrap up their own calls (another's is 404);
supervisors and admins any. Closing again changes the code (audited).

Extending: `WrapupService.add_hook(hook)` runs a coroutine in the transaction after each
wrap-up (the webhooks' `call.wrapup`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.errors import InvalidFieldError, NotFoundError
from crm_core.models import Call, Contact, Note, Task, WrapupCode
from crm_core.models.enums import AuditAction, TaskKind
from crm_core.services import callback_rows
from crm_core.services.audit import record
from crm_core.services.base import ServiceBase
from crm_core.services.contacts import require_live_contact
from crm_core.services.dto import Actor, CallOut, NoteOut
from crm_core.services.dto.callbacks import CallbackOut
from crm_core.services.dto.wrapup import WrapupChoices, WrapupClose, WrapupClosed, WrapupCodeOut
from crm_core.services.wrapup_codes import choices_for

WrapupHook = Callable[
    [AsyncSession, CallOut, NoteOut | None, WrapupCodeOut | None], Awaitable[None]
]
"""(session, the call as wrapped up, the note or None, the code picked or None)."""


async def _picked(session: AsyncSession, call: Call, code: str | None) -> WrapupCodeOut | None:
    choices = await choices_for(session, call.queue)
    if code is None:
        if choices.code_required:
            names = ", ".join(c.code for c in choices.codes)
            raise InvalidFieldError(
                "wrapup_code",
                _required(choices),
                code="wrapup_code_required",
                params={"queue": choices.queue, "codes": names},
            )
        return None
    for offered in choices.codes:
        if offered.code == code:
            return offered
    raise await _refusal(session, call.queue, code, choices)


def _required(choices: WrapupChoices) -> str:
    names = ", ".join(c.code for c in choices.codes) or "none defined"
    return f"is required for calls of queue {choices.queue}: pick one of {names}"


async def _refusal(
    session: AsyncSession, queue: str, code: str, choices: WrapupChoices
) -> InvalidFieldError:
    elsewhere = await session.scalar(
        select(WrapupCode.queue).where(WrapupCode.code == code, WrapupCode.enabled).limit(1)
    )
    offered = ", ".join(c.code for c in choices.codes) or "none"
    here = f"queue {queue}" if queue else "calls outside queues"
    params = {"code": code, "offered": offered}
    if elsewhere:
        reason = f"{code} is a code of queue {elsewhere}, not of {here} (offered: {offered})"
        return InvalidFieldError(
            "wrapup_code", reason, code="wrapup_code_of_other_queue",
            params=params | {"queue": elsewhere},
        )  # fmt: skip
    reason = f"{code} is not a wrap-up code offered for {here} (offered: {offered})"
    return InvalidFieldError("wrapup_code", reason, code="wrapup_code_not_offered", params=params)


class WrapupService(ServiceBase):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._hooks: list[WrapupHook] = []

    def add_hook(self, hook: WrapupHook) -> None:
        self._hooks.append(hook)

    async def close(self, actor: Actor, call_id: int, data: WrapupClose) -> WrapupClosed:
        async with self._sessions.begin() as session:
            call = await session.get(Call, call_id)
            if call is None or (actor.is_agent and call.agent_id != actor.id):
                raise NotFoundError("call", call_id)
            code = await _picked(session, call, data.wrapup_code)
            contact_id = data.contact_id or call.contact_id
            if contact_id is not None:
                await require_live_contact(session, contact_id)
            if data.note and contact_id is None:
                raise InvalidFieldError(
                    "contact_id",
                    "the call has no card: name the card for the note",
                    code="call_has_no_card",
                )
            self._store_code(session, actor, call, code)
            note = await self._note(session, actor, call, contact_id, data.note)
            callback = None
            if code is not None and code.plans_callback_in_hours and contact_id is not None:
                callback = await self._plan_callback(session, actor, call, contact_id, code)
            await session.flush()
            out = CallOut.model_validate(call)
            for hook in self._hooks:
                await hook(session, out, note, code)
            return WrapupClosed(call=out, note=note, callback=callback)

    def _store_code(
        self, session: AsyncSession, actor: Actor, call: Call, code: WrapupCodeOut | None
    ) -> None:
        new = None if code is None else code.code
        if new == call.wrapup_code:
            return
        changes = {"wrapup_code": [call.wrapup_code, new]}
        call.wrapup_code, call.wrapup_label = new, "" if code is None else code.label
        record(session, actor, AuditAction.UPDATE, "calls", call.id, changes)

    async def _note(
        self, session: AsyncSession, actor: Actor, call: Call, contact_id: int | None, body: str
    ) -> NoteOut | None:
        if not body or contact_id is None:
            return None
        note = Note(contact_id=contact_id, author_id=actor.id, call_id=call.id, body=body)
        session.add(note)
        await session.flush()
        changes = {"body": body, "call_id": call.id, "wrapup": True}
        record(session, actor, AuditAction.CREATE, "notes", note.id, changes)
        return NoteOut.model_validate(note)

    async def _plan_callback(
        self, session: AsyncSession, actor: Actor, call: Call, contact_id: int, code: WrapupCodeOut
    ) -> CallbackOut | None:
        """The code's rule: a call-back `plans_callback_in_hours` from now, for the agent."""
        assignee = actor.id if actor.id is not None else call.agent_id
        if assignee is None or not code.plans_callback_in_hours:
            return None
        contact = await session.get(Contact, contact_id)
        name = " ".join(p for p in (contact.first_name, contact.last_name) if p) if contact else ""
        due_at = datetime.now(UTC) + timedelta(hours=code.plans_callback_in_hours)
        task = Task(
            kind=TaskKind.CALLBACK.value, scheduled=True, assignee_id=assignee,
            contact_id=contact_id, call_id=call.id, due_at=due_at,
            subject=f"Call back {name or 'the client'} ({code.label})"[:200],
        )  # fmt: skip
        session.add(task)
        await session.flush()
        changes = {"subject": task.subject, "due_at": due_at.isoformat(), "rule": code.code}
        record(session, actor, AuditAction.CREATE, "tasks", task.id, changes)
        statement = callback_rows.callbacks().where(Task.id == task.id)
        return (await callback_rows.read(session, statement, datetime.now(UTC)))[0]
