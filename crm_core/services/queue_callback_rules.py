"""What a finished call means for queue call-backs. Runs as a `CallHook` in the transaction that
registers the call, so the kept place and its call's record are written together, once:

- a call whose caller pressed the call-back key (disposition `callback_requested`) keeps a
  place in its queue: one `queue_callbacks` row, `queued_at` the time the caller joined;
- a call-back call (`callback_of` names that call) settles its place: answered by the caller
  -> done; otherwise another attempt after `retry_seconds`, and after `attempts` failed ones a
  call-back task like a missed call's (the card's owner, else the first supervisor).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.models import Call, Contact, QueueCallback, User
from crm_core.models.enums import Disposition, QueueCallbackStatus, Role, TaskKind
from crm_core.services.dto import Actor, CallOut, TaskCreate
from crm_core.services.dto.queue_callbacks import QueueCallbackPolicy
from crm_core.services.tasks import insert_task

OPEN = (QueueCallbackStatus.WAITING.value, QueueCallbackStatus.DIALING.value)


@dataclass(frozen=True)
class QueueCallbackRules:
    policy: QueueCallbackPolicy = field(default_factory=QueueCallbackPolicy)

    async def __call__(
        self, session: AsyncSession, actor: Actor, call: CallOut, before: CallOut | None
    ) -> None:
        if call.disposition is None or (before is not None and before.disposition is not None):
            return  # still going, or already settled (a replay)
        if call.disposition == Disposition.CALLBACK_REQUESTED:
            await _keep_place(session, call)
        elif call.callback_of:
            await self._attempt_ended(session, actor, call)

    async def _attempt_ended(self, session: AsyncSession, actor: Actor, call: CallOut) -> None:
        place = await session.scalar(
            select(QueueCallback).where(
                QueueCallback.call_linkedid == call.callback_of,
                QueueCallback.pbx == call.pbx,
                QueueCallback.status.in_(OPEN),
            )
        )
        if place is None:
            return
        now = call.ended_at or datetime.now(UTC)
        place.attempts += 1
        place.last_result = str(call.disposition)
        place.dialing_since = None
        if call.disposition == Disposition.ANSWERED:
            place.status, place.done_at = QueueCallbackStatus.ANSWERED.value, now
        elif place.attempts >= self.policy.attempts:
            place.status, place.done_at = QueueCallbackStatus.TASK.value, now
            place.task_id = await _task(session, actor, place, call)
        else:
            place.status = QueueCallbackStatus.WAITING.value
            place.next_attempt_at = now + timedelta(seconds=self.policy.retry_seconds)


async def _keep_place(session: AsyncSession, call: CallOut) -> None:
    if call.external_e164 is None:
        return  # a withheld number cannot be called back
    known = await session.scalar(
        select(QueueCallback.id).where(
            QueueCallback.call_linkedid == call.linkedid, QueueCallback.pbx == call.pbx
        )
    )
    if known is not None:
        return
    # the follow-up rules may have made a lead card for this caller in this transaction
    contact_id = await session.scalar(select(Call.contact_id).where(Call.id == call.id))
    requested = call.ended_at or datetime.now(UTC)
    session.add(
        QueueCallback(
            pbx=call.pbx, call_linkedid=call.linkedid, call_id=call.id, contact_id=contact_id,
            queue=call.queue, number=call.external_e164,
            queued_at=call.queued_at or call.started_at, requested_at=requested,
            status=QueueCallbackStatus.WAITING.value, attempts=0, next_attempt_at=requested,
            extension="", last_result="",
        )
    )  # fmt: skip
    await session.flush()


async def _task(
    session: AsyncSession, actor: Actor, place: QueueCallback, call: CallOut
) -> int | None:
    assignee = await _assignee(session, place.contact_id)
    if assignee is None:
        return None
    subject = (
        f"Call back {place.number} (queue {place.queue}: {place.attempts} call-backs unanswered)"
    )
    task = TaskCreate(
        kind=TaskKind.CALLBACK, subject=subject[:200], due_at=call.ended_at or datetime.now(UTC),
        assignee_id=assignee, contact_id=place.contact_id, call_id=place.call_id,
    )  # fmt: skip
    return (await insert_task(session, actor, task)).id


async def _assignee(session: AsyncSession, contact_id: int | None) -> int | None:
    if contact_id is not None:
        owner = await session.scalar(select(Contact.owner_id).where(Contact.id == contact_id))
        if owner is not None:
            return owner
    for role in (Role.SUPERVISOR, Role.ADMIN):
        found = await session.scalar(
            select(User.id).where(User.role == role.value, User.active).order_by(User.id).limit(1)
        )
        if found is not None:
            return found
    return None
