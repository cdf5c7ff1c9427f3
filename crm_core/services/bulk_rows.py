"""Rows written many at a time with Core statements, for the call log's batches.

The ORM inserts rows whose ids it must learn one statement each on SQLite (its RETURNING order is
not guaranteed, so SQLAlchemy will not batch them), and each statement is a worker-thread round
trip with aiosqlite. Here: audit entries in one executemany; rows whose ids are needed in one
INSERT .. RETURNING, matched back by a column unique within the batch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.models import AuditEntry
from crm_core.models.enums import AuditAction
from crm_core.services.dto import Actor

Audit = Callable[[AuditAction, str, int, dict[str, Any]], None]
"""(action, table, record id, changes) -> one audit entry, by the actor it was made for"""


class AuditRows:
    """What `audit.record` adds, collected and written in one statement."""

    def __init__(self) -> None:
        self._rows: list[dict[str, Any]] = []

    def add(
        self, actor: Actor, action: AuditAction, table_name: str, record_id: int,
        changes: dict[str, Any],
    ) -> None:  # fmt: skip
        self._rows.append({
            "actor_id": actor.id, "actor_login": actor.login, "action": action.value,
            "table_name": table_name, "record_id": record_id, "changes": changes,
        })  # fmt: skip

    def add_for(self, actor: Actor) -> Audit:
        return partial(self.add, actor)

    async def write(self, session: AsyncSession) -> None:
        rows, self._rows = self._rows, []
        if rows:
            await session.execute(insert(table_of(AuditEntry)), rows)


async def insert_returning_ids(
    session: AsyncSession, model: type[Any], rows: Sequence[dict[str, Any]], key: str
) -> dict[Any, int]:
    """Insert `rows`; the new ids by each row's `key` (unique within `rows`)."""
    if not rows:
        return {}
    table = table_of(model)
    statement = insert(table).returning(table.c.id, table.c[key])
    result = await session.execute(statement, list(rows))
    return {row[1]: row[0] for row in result}


def table_of(model: type[Any]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table
