"""Wrap-up codes admins define per queue (and global ones), and the per-queue rule that a code
is required before a wrap-up closes. Reading: everyone signed in (the wrap-up form needs them);
changes: admins only, each audited."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.errors import InvalidFieldError, NotFoundError
from crm_core.models import WrapupCode, WrapupQueueRule
from crm_core.models.enums import AuditAction, Role
from crm_core.services.audit import diff, record, snapshot
from crm_core.services.base import STAFF, ServiceBase, require_role
from crm_core.services.dto import Actor
from crm_core.services.dto.wrapup import (
    QueueRuleOut,
    QueueRuleSet,
    WrapupChoices,
    WrapupCodeCreate,
    WrapupCodeOut,
    WrapupCodePatch,
    WrapupSetup,
)


def _out(row: WrapupCode) -> WrapupCodeOut:
    return WrapupCodeOut.model_validate(row)


async def choices_for(session: AsyncSession, queue: str) -> WrapupChoices:
    """The enabled codes a call of `queue` may get (its queue's first, then global ones)."""
    rows = await session.scalars(
        select(WrapupCode)
        .where(WrapupCode.enabled, WrapupCode.queue.in_({queue, ""}))
        .order_by(WrapupCode.queue == "", WrapupCode.position, WrapupCode.label, WrapupCode.id)
    )
    rule = await session.get(WrapupQueueRule, queue) if queue else None
    return WrapupChoices(
        queue=queue,
        code_required=bool(rule and rule.code_required),
        codes=[_out(row) for row in rows],
    )


class WrapupCodeService(ServiceBase):
    async def setup(self, actor: Actor) -> WrapupSetup:
        require_role(actor, *STAFF)
        async with self._sessions() as session:
            codes = await session.scalars(
                select(WrapupCode).order_by(WrapupCode.queue, WrapupCode.position, WrapupCode.id)
            )
            rules = await session.scalars(select(WrapupQueueRule).order_by(WrapupQueueRule.queue))
            return WrapupSetup(
                codes=[_out(c) for c in codes],
                queues=[QueueRuleOut.model_validate(r) for r in rules],
            )

    async def choices(self, actor: Actor, queue: str) -> WrapupChoices:
        async with self._sessions() as session:
            return await choices_for(session, queue)

    async def create(self, actor: Actor, data: WrapupCodeCreate) -> WrapupCodeOut:
        require_role(actor, Role.ADMIN)
        values = data.model_dump()
        values["plans_callback_in_hours"] = data.plans_callback_in_hours or None
        try:
            async with self._sessions.begin() as session:
                row = WrapupCode(**values)
                session.add(row)
                await session.flush()
                out = _out(row)
                record(session, actor, AuditAction.CREATE, "wrapup_codes", row.id, snapshot(out))
                return out
        except IntegrityError as exc:
            where = f"queue {data.queue}" if data.queue else "the global codes"
            raise InvalidFieldError(
                "code",
                f"{data.code} already exists in {where}",
                code="wrapup_code_taken" if data.queue else "wrapup_code_taken_global",
                params={"code": data.code, "queue": data.queue},
            ) from exc

    async def patch(self, actor: Actor, code_id: int, data: WrapupCodePatch) -> WrapupCodeOut:
        require_role(actor, Role.ADMIN)
        async with self._sessions.begin() as session:
            row = await self._get(session, code_id)
            before = snapshot(_out(row))
            for key, value in data.model_dump(exclude_unset=True).items():
                setattr(row, key, value or None if key == "plans_callback_in_hours" else value)
            await session.flush()
            out = _out(row)
            changes = diff(before, snapshot(out))
            if changes:
                record(session, actor, AuditAction.UPDATE, "wrapup_codes", code_id, changes)
            return out

    async def delete(self, actor: Actor, code_id: int) -> None:
        """Calls keep the code they were given (and the reports count it)."""
        require_role(actor, Role.ADMIN)
        async with self._sessions.begin() as session:
            row = await self._get(session, code_id)
            gone = snapshot(_out(row))
            await session.delete(row)
            record(session, actor, AuditAction.DELETE, "wrapup_codes", code_id, gone)

    async def set_queue_rule(self, actor: Actor, queue: str, data: QueueRuleSet) -> QueueRuleOut:
        require_role(actor, Role.ADMIN)
        async with self._sessions.begin() as session:
            rule = await session.get(WrapupQueueRule, queue)
            before = None if rule is None else rule.code_required
            if rule is None:
                rule = WrapupQueueRule(queue=queue, code_required=data.code_required)
                session.add(rule)
            rule.code_required = data.code_required
            await session.flush()
            if before != data.code_required:
                changes = {"queue": queue, "code_required": [before, data.code_required]}
                record(session, actor, AuditAction.UPDATE, "wrapup_queue_rules", 0, changes)
            return QueueRuleOut.model_validate(rule)

    async def _get(self, session: AsyncSession, code_id: int) -> WrapupCode:
        row = await session.get(WrapupCode, code_id)
        if row is None:
            raise NotFoundError("wrap-up code", code_id)
        return row
