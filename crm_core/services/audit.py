"""The audit trail: `record()` is called inside each change's transaction; reading is for staff."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.models import AuditEntry
from crm_core.models.enums import AuditAction
from crm_core.services.base import STAFF, ServiceBase, require_role
from crm_core.services.dto import Actor, AuditOut, Page, PageParams


def record(
    session: AsyncSession,
    actor: Actor,
    action: AuditAction,
    table_name: str,
    record_id: int,
    changes: dict[str, Any],
) -> None:
    session.add(
        AuditEntry(
            actor_id=actor.id,
            actor_login=actor.login,
            action=action.value,
            table_name=table_name,
            record_id=record_id,
            changes=changes,
        )
    )


def snapshot(dto: BaseModel, exclude: set[str] | None = None) -> dict[str, Any]:
    return dto.model_dump(mode="json", exclude=exclude)


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """{field: [old, new]} for every field whose value changed."""
    return {
        key: [before.get(key), value] for key, value in after.items() if before.get(key) != value
    }


class AuditService(ServiceBase):
    async def log(
        self, actor: Actor, action: AuditAction, table_name: str, record_id: int,
        changes: dict[str, Any],
    ) -> None:  # fmt: skip
        """Record something done outside the CRM's tables (e.g. a supervisor listening in)."""
        async with self._sessions.begin() as session:
            record(session, actor, action, table_name, record_id, changes)

    async def list(
        self,
        actor: Actor,
        page: PageParams,
        table_name: str | None = None,
        record_id: int | None = None,
    ) -> Page[AuditOut]:
        require_role(actor, *STAFF)
        query = select(AuditEntry)
        if table_name is not None:
            query = query.where(AuditEntry.table_name == table_name)
        if record_id is not None:
            query = query.where(AuditEntry.record_id == record_id)
        async with self._sessions() as session:
            total = await session.scalar(select(func.count()).select_from(query.subquery()))
            rows = await session.scalars(
                query.order_by(AuditEntry.id.desc()).limit(page.limit).offset(page.offset)
            )
            items = [AuditOut.model_validate(row) for row in rows]
        return Page(items=items, total=total or 0, limit=page.limit, offset=page.offset)
