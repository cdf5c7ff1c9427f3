"""Many calls registered in one transaction with a fixed number of statements, not ~10 a call.

What the database knows before the batch (existing records, the cards behind the numbers, the
agents behind the extensions) is read in one query each; every record is upserted in one
executemany (RETURNING the rows); the saved states of the calls that ended go in one DELETE.
The result is what registering the calls one by one in the same transaction gives: a linkedid
seen twice is split into runs (a later copy sees the earlier as its `before`); what a follow-up
makes for an earlier call of the batch (a lead card) is carried to the later ones by the
follow-up's batch form (call_followup_batch).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.models import Call, OpenCallState
from crm_core.services.call_matching import (
    Card,
    agent_extension,
    cards_for,
    e164_of,
    external_number,
    known_match,
    users_for_extensions,
)
from crm_core.services.dto import CallOut, CallRecord

Change = tuple[CallOut, CallOut | None]
"""(the call as stored now, as it was before this registration or None when new)"""


def unique_runs(records: Sequence[CallRecord]) -> Iterator[list[CallRecord]]:
    """Consecutive runs of one PBX in which no linkedid repeats (each run is written as one
    batch; a bridge's batches are of its PBX alone, so a run is the whole batch)."""
    run: list[CallRecord] = []
    seen: set[str] = set()
    for record in records:
        if record.linkedid in seen or (run and record.pbx != run[0].pbx):
            yield run
            run, seen = [], set()
        run.append(record)
        seen.add(record.linkedid)
    if run:
        yield run


@dataclass(frozen=True)
class Known:
    """The database's facts about a batch, read before writing it."""

    befores: dict[str, CallOut]
    cards: dict[str, Card]
    users: dict[str, int]


def numbers_of(records: Sequence[CallRecord], region: str) -> list[str | None]:
    """Each record's external number in E.164 (None: internal, anonymous, garbage)."""
    numbers = (external_number(record) for record in records)
    return [e164_of(number, region) if number is not None else None for number in numbers]


async def read_known(
    session: AsyncSession, records: Sequence[CallRecord], numbers: Sequence[str | None]
) -> Known:
    """`records` are of one PBX (`unique_runs`)."""
    linkedids = [record.linkedid for record in records]
    pbx = records[0].pbx
    table = Call.__table__
    assert isinstance(table, Table)
    mine = table.c.linkedid.in_(linkedids), table.c.pbx == pbx
    rows = await session.execute(select(*table.c).where(*mine))
    befores = {row.linkedid: CallOut.model_validate(row) for row in rows}
    cards = await cards_for(session, [number for number in numbers if number])
    users = await users_for_extensions(session, map(agent_extension, records), pbx)
    return Known(befores, cards, users)


def matched_rows(
    records: Sequence[CallRecord], numbers: Sequence[str | None], known: Known
) -> list[dict[str, Any]]:
    """Each record's column values, its links matched (`call_matching.known_match`)."""
    rows = []
    for record, number in zip(records, numbers, strict=True):
        card = known.cards.get(number, (None, None)) if number else (None, None)
        agent_id = known.users.get(agent_extension(record))
        before = known.befores.get(record.linkedid)
        rows.append(row_values(record) | known_match(record, number, card, before, agent_id))
    return rows


def row_values(data: CallRecord) -> dict[str, Any]:
    values = data.model_dump(exclude={"transfers", "agent_extension"})
    values["transfers"] = [transfer.as_json() for transfer in data.transfers]
    return values


_UPSERTS: dict[tuple[str, tuple[str, ...]], Any] = {}


def upsert_statement(dialect: str, columns: tuple[str, ...]) -> Any:
    """INSERT .. ON CONFLICT (pbx, linkedid) DO UPDATE .. RETURNING the row; built once per dialect
    and column set (building `excluded` costs ~1 ms a time), values as execution parameters."""
    statement = _UPSERTS.get((dialect, columns))
    if statement is None:
        table = Call.__table__
        assert isinstance(table, Table)
        insert = pg_insert(table) if dialect == "postgresql" else sqlite_insert(table)
        keys = ("pbx", "linkedid")
        updates = {key: insert.excluded[key] for key in columns if key not in keys}
        statement = insert.on_conflict_do_update(index_elements=list(keys), set_=updates)
        statement = _UPSERTS[(dialect, columns)] = statement.returning(*table.c)
    return statement


async def upsert_all(session: AsyncSession, rows: list[dict[str, Any]]) -> dict[str, CallOut]:
    """Every row (of one PBX) in one executemany; the stored calls by linkedid."""
    statement = upsert_statement(session.get_bind().dialect.name, tuple(rows[0]))
    result = await session.execute(statement, rows)
    return {row.linkedid: CallOut.model_validate(row) for row in result}


async def delete_states(session: AsyncSession, linkedids: Sequence[str], pbx: str) -> None:
    """Ended calls leave no saved tracker state (in the transaction that writes their end)."""
    if linkedids:
        mine = OpenCallState.linkedid.in_(linkedids), OpenCallState.pbx == pbx
        await session.execute(delete(OpenCallState).where(*mine))
