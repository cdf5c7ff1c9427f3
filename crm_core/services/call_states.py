"""The CTI bridge's open-call states: saved as they change, loaded at start (see the model).

Rules that keep a state and its call record consistent whatever order the writers commit in:
- the call record's end deletes the state in the same transaction (CallService);
- a state is never saved for a call whose record is already ended;
- a call that went away without any record (`dropped`) has its state deleted here;
- loading skips (and deletes) any state whose record is ended.
Each PBX's bridge keeps its own (states keyed by (pbx, linkedid), a cursor per PBX).
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
from crm_core.services.dto.calls import DEFAULT_PBX
from crm_core.services.fencing import Fence, check_fence

DEFAULT_CURSOR = "ami"


def cursor_of(pbx: str) -> str:
    """The PBX's event cursor: "ami" for the one PBX of before (its row stays), "ami:NAME"."""
    return DEFAULT_CURSOR if pbx == DEFAULT_PBX else f"{DEFAULT_CURSOR}:{pbx}"


@dataclass(frozen=True, slots=True)
class StoredTracking:
    states: list[dict[str, Any]]
    clock: float | None


def _upsert(session: AsyncSession, model: type[OpenCallState | IngestCursor], *keys: str) -> Any:
    """INSERT .. ON CONFLICT DO UPDATE: one statement, so a row deleted meanwhile by another
    transaction (a call's end) is simply inserted, never a stale-row error."""
    table = model.__table__
    assert isinstance(table, Table)
    dialect = session.get_bind().dialect.name
    insert = pg_insert(table) if dialect == "postgresql" else sqlite_insert(table)
    updates = {c.name: insert.excluded[c.name] for c in table.columns if c.name not in keys}
    return insert.on_conflict_do_update(index_elements=list(keys), set_=updates)


def _ended(linkedids: Iterable[str], pbx: str) -> Any:
    return select(Call.linkedid).where(
        Call.linkedid.in_(list(linkedids)), Call.pbx == pbx, Call.ended_at.is_not(None)
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
        pbx: str = DEFAULT_PBX,
    ) -> None:
        """One transaction: the changed open calls, the dropped ones, and the event cursor."""
        now = datetime.now(UTC)
        async with self._sessions.begin() as session:
            await check_fence(self._fence, session)
            states = {str(state["linkedid"]): state for state in open_calls}
            ended = set((await session.scalars(_ended(states, pbx))).all()) if states else set()
            rows = [
                {"pbx": pbx, "linkedid": linkedid, "state": state, "updated_at": now}
                for linkedid, state in states.items()
                if linkedid not in ended
            ]
            if rows:
                await session.execute(_upsert(session, OpenCallState, "pbx", "linkedid"), rows)
            if dropped:
                gone = OpenCallState.linkedid.in_(list(dropped)), OpenCallState.pbx == pbx
                await session.execute(delete(OpenCallState).where(*gone))
            mark = {"name": cursor_of(pbx), "event_time": clock, "updated_at": now}
            await session.execute(_upsert(session, IngestCursor, "name"), [mark])

    async def load(self, pbx: str = DEFAULT_PBX) -> StoredTracking:
        async with self._sessions.begin() as session:
            mine = OpenCallState.pbx == pbx
            rows = (await session.scalars(select(OpenCallState).where(mine))).all()
            ended = set((await session.scalars(_ended((r.linkedid for r in rows), pbx))).all())
            if ended:
                await session.execute(
                    delete(OpenCallState).where(OpenCallState.linkedid.in_(ended), mine)
                )
            mark = await session.get(IngestCursor, cursor_of(pbx))
        states = [row.state for row in rows if row.linkedid not in ended]
        return StoredTracking(states, None if mark is None else mark.event_time)

    async def open_records_without_state(self, pbx: str = DEFAULT_PBX) -> list[CallOut]:
        """Call records left open with no tracker state: a crash between two writes."""
        tracked = select(OpenCallState.linkedid).where(OpenCallState.pbx == pbx)
        statement = select(Call).where(
            Call.pbx == pbx, Call.ended_at.is_(None), Call.linkedid.not_in(tracked)
        )
        async with self._sessions() as session:
            return [CallOut.model_validate(row) for row in await session.scalars(statement)]

    async def ended_among(self, linkedids: Iterable[str], pbx: str = DEFAULT_PBX) -> set[str]:
        wanted = list(linkedids)
        if not wanted:
            return set()
        async with self._sessions() as session:
            return set((await session.scalars(_ended(wanted, pbx))).all())
