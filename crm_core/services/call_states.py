"""The CTI bridge's open-call states: saved as they change, loaded at start (see the model).

Rules that keep a state and its call record consistent whatever order the writers commit in:
- the call record's end deletes the state in the same transaction (CallService);
- a state is never saved for a call whose record is already ended;
- a call that went away without any record (`dropped`) has its state deleted here;
- loading skips (and deletes) any state whose record is ended.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.models import Call, IngestCursor, OpenCallState
from crm_core.services.base import ServiceBase
from crm_core.services.dto import CallOut
from crm_core.services.fencing import Fence, check_fence

DEFAULT_CURSOR = "ami"


@dataclass(frozen=True, slots=True)
class StoredTracking:
    states: list[dict[str, Any]]
    clock: float | None


async def delete_state(session: AsyncSession, linkedid: str) -> None:
    await session.execute(delete(OpenCallState).where(OpenCallState.linkedid == linkedid))


def _upsert(session: AsyncSession, model: type[OpenCallState | IngestCursor], key: str) -> Any:
    """INSERT .. ON CONFLICT DO UPDATE: one statement, so a row deleted meanwhile by another
    transaction (a call's end) is simply inserted, never a stale-row error."""
    table = model.__table__
    assert isinstance(table, Table)
    dialect = session.get_bind().dialect.name
    insert = pg_insert(table) if dialect == "postgresql" else sqlite_insert(table)
    updates = {c.name: insert.excluded[c.name] for c in table.columns if c.name != key}
    return insert.on_conflict_do_update(index_elements=[key], set_=updates)


def _ended(linkedids: Iterable[str]) -> Any:
    return select(Call.linkedid).where(
        Call.linkedid.in_(list(linkedids)), Call.ended_at.is_not(None)
    )


class CallStateService(ServiceBase):
    def __init__(self, *args: Any, fence: Fence | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._fence = fence

    async def save(
        self,
        open_calls: Sequence[dict[str, Any]],
        dropped: Sequence[str],
        clock: float,
        cursor: str = DEFAULT_CURSOR,
    ) -> None:
        """One transaction: the changed open calls, the dropped ones, and the event cursor."""
        now = datetime.now(UTC)
        async with self._sessions.begin() as session:
            await check_fence(self._fence, session)
            states = {str(state["linkedid"]): state for state in open_calls}
            ended = set((await session.scalars(_ended(states))).all()) if states else set()
            rows = [
                {"linkedid": linkedid, "state": state, "updated_at": now}
                for linkedid, state in states.items()
                if linkedid not in ended
            ]
            if rows:
                await session.execute(_upsert(session, OpenCallState, "linkedid"), rows)
            if dropped:
                gone = OpenCallState.linkedid.in_(list(dropped))
                await session.execute(delete(OpenCallState).where(gone))
            mark = {"name": cursor, "event_time": clock, "updated_at": now}
            await session.execute(_upsert(session, IngestCursor, "name"), [mark])

    async def load(self, cursor: str = DEFAULT_CURSOR) -> StoredTracking:
        async with self._sessions.begin() as session:
            rows = (await session.scalars(select(OpenCallState))).all()
            ended = set((await session.scalars(_ended(r.linkedid for r in rows))).all())
            if ended:
                await session.execute(
                    delete(OpenCallState).where(OpenCallState.linkedid.in_(ended))
                )
            mark = await session.get(IngestCursor, cursor)
        states = [row.state for row in rows if row.linkedid not in ended]
        return StoredTracking(states, None if mark is None else mark.event_time)

    async def open_records_without_state(self) -> list[CallOut]:
        """Call records left open with no tracker state: a crash between two writes."""
        tracked = select(OpenCallState.linkedid)
        statement = select(Call).where(Call.ended_at.is_(None), Call.linkedid.not_in(tracked))
        async with self._sessions() as session:
            return [CallOut.model_validate(row) for row in await session.scalars(statement)]

    async def ended_among(self, linkedids: Iterable[str]) -> set[str]:
        wanted = list(linkedids)
        if not wanted:
            return set()
        async with self._sessions() as session:
            return set((await session.scalars(_ended(wanted))).all())
