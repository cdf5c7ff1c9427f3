"""What the bridge's queue call-back dialler asks: the kept places, and claiming one for a dial.
A claim is a conditional UPDATE (waiting -> dialing): of two bridges, one dials."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CursorResult, select, update

from crm_core.models import Contact, QueueCallback
from crm_core.models.enums import QueueCallbackStatus
from crm_core.services.base import ServiceBase
from crm_core.services.dto.queue_callbacks import QueuePlace
from crm_core.services.queue_callback_rules import OPEN

WAITING, DIALING = QueueCallbackStatus.WAITING.value, QueueCallbackStatus.DIALING.value


def _name(first: str | None, last: str | None) -> str:
    return " ".join(part for part in (first, last) if part)


class QueueCallbackService(ServiceBase):
    async def places(self, pbx: str = "default") -> list[QueuePlace]:
        """Every place still waiting or being dialled on this PBX, per queue in the order they
        were kept."""
        statement = (
            select(QueueCallback, Contact.first_name, Contact.last_name)
            .outerjoin(Contact, Contact.id == QueueCallback.contact_id)
            .where(QueueCallback.status.in_(OPEN), QueueCallback.pbx == pbx)
            .order_by(QueueCallback.queue, QueueCallback.queued_at, QueueCallback.id)
        )
        async with self._sessions() as session:
            rows = (await session.execute(statement)).all()
        return [
            QueuePlace.model_validate(row).model_copy(update={"contact_name": _name(first, last)})
            for row, first, last in rows
        ]

    async def claim_dialing(self, place_id: int, extension: str, at: datetime) -> bool:
        """True for the one dialler that turns the place from waiting to dialing."""
        return await self._move(
            place_id, WAITING, status=DIALING, dialing_since=at, extension=extension
        )

    async def release(self, place_id: int, next_attempt_at: datetime, result: str) -> bool:
        """The dial never reached the caller (the agent did not answer, Asterisk refused):
        back to waiting, no attempt counted."""
        return await self._move(
            place_id, DIALING, status=WAITING, dialing_since=None,
            next_attempt_at=next_attempt_at, last_result=result,
        )  # fmt: skip

    async def _move(self, place_id: int, current: str, **values: object) -> bool:
        statement = (
            update(QueueCallback)
            .where(QueueCallback.id == place_id, QueueCallback.status == current)
            .values(**values)
        )
        async with self._sessions.begin() as session:
            result = await session.execute(statement)
        assert isinstance(result, CursorResult)
        return result.rowcount == 1
