"""The precompiled Core statements behind a card lookup: five indexed queries, no ORM (and one
telling which of many numbers any card holds).

Built once per CardService (SQLAlchemy then caches their compiled form); values come in as
bound parameters, rows go straight into the DTOs. Calls and tasks are those the viewer may see
(crm_core.services.card_rights): `all_calls`/`all_tasks` true, or the viewer's own (`viewer_id`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BindParameter,
    Boolean,
    CompoundSelect,
    Integer,
    Select,
    String,
    Table,
    any_,
    bindparam,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY

from crm_core.models import Call, Company, Contact, Note, Phone, Task, User


def _table(model: type[Any]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def _labelled(table: Any, prefix: str) -> list[Any]:
    return [column.label(f"{prefix}{column.name}") for column in table.c]


@dataclass(frozen=True, slots=True)
class CardQueries:
    head: Select[Any]
    phones: CompoundSelect[Any]
    contact_calls: Select[Any]
    company_calls: Select[Any]
    tasks: Select[Any]
    notes: Select[Any]
    bundle: CompoundSelect[Any]
    held: Select[Any]
    held_pg: Select[Any]


def _head_query(limit: int) -> Select[Any]:
    """Every card holding :e164 (contacts first), with its company and owners, in one row each."""
    phone, contact, company = _table(Phone), _table(Contact), _table(Company)
    users = _table(User)
    contact_owner, company_owner = users.alias("contact_owner"), users.alias("company_owner")
    joined = (
        phone.outerjoin(contact, contact.c.id == phone.c.contact_id)
        .outerjoin(company, company.c.id == func.coalesce(contact.c.company_id, phone.c.company_id))
        .outerjoin(contact_owner, contact_owner.c.id == contact.c.owner_id)
        .outerjoin(company_owner, company_owner.c.id == company.c.owner_id)
    )
    owner_columns = [
        *(contact_owner.c[name].label(f"cto_{name}") for name in ("id", "login", "display_name")),
        *(company_owner.c[name].label(f"coo_{name}") for name in ("id", "login", "display_name")),
    ]
    return (
        select(*_labelled(contact, "ct_"), *_labelled(company, "co_"), *owner_columns)
        .select_from(joined)
        .where(phone.c.e164 == bindparam("e164"))
        .order_by(phone.c.contact_id.is_(None), phone.c.id)
        .limit(limit)
    )


def _as_json(kind: str, statement: Select[Any]) -> Select[Any]:
    rows = statement.subquery(kind)
    return select(literal(kind).label("kind"), func.to_jsonb(rows.table_valued()).label("data"))


def _bundle(parts: dict[str, Select[Any]]) -> CompoundSelect[Any]:
    """PostgreSQL only: phones, calls, tasks and notes of a card in one round trip, as JSON rows."""
    return union_all(*(_as_json(kind, statement) for kind, statement in parts.items()))


def build_card_queries(calls: int, tasks: int, notes: int, matches: int = 10) -> CardQueries:
    phone, call, task, note = _table(Phone), _table(Call), _table(Task), _table(Note)
    viewer: BindParameter[int] = bindparam("viewer_id", type_=Integer)
    recent_calls = (
        select(call)
        .where(
            or_(
                bindparam("all_calls", type_=Boolean),
                call.c.agent_id == viewer,
                call.c.agent_id.is_(None),  # nobody's call: card_rights.calls_visible
            )
        )
        .order_by(call.c.started_at.desc())
        .limit(calls)
    )
    open_tasks = select(task).where(
        task.c.done_at.is_(None),
        or_(bindparam("all_tasks", type_=Boolean), task.c.assignee_id == viewer),
    )
    parts = {
        "phone": select(phone)
        .where(
            or_(
                phone.c.contact_id == bindparam("contact_id"),
                phone.c.company_id == bindparam("company_id"),
            )
        )
        .order_by(phone.c.id),
        "call": recent_calls.where(
            or_(
                call.c.contact_id == bindparam("contact_id"),
                (call.c.company_id == bindparam("company_id")) & bindparam("company_only"),
            )
        ),
        "task": open_tasks.where(task.c.contact_id == bindparam("contact_id"))
        .order_by(task.c.due_at.is_(None), task.c.due_at)
        .limit(tasks),
        "note": select(note)
        .where(note.c.contact_id == bindparam("contact_id"))
        .order_by(note.c.created_at.desc())
        .limit(notes),
    }
    return CardQueries(
        bundle=_bundle(parts),
        head=_head_query(matches),
        held=select(phone.c.e164)
        .where(phone.c.e164.in_(bindparam("e164s", expanding=True)))
        .distinct(),
        held_pg=select(phone.c.e164)  # one prepared statement whatever the count: = ANY(array)
        .where(phone.c.e164 == any_(bindparam("e164s", type_=ARRAY(String))))
        .distinct(),
        phones=union_all(  # two index searches; an OR would scan the table on SQLite
            select(phone).where(phone.c.contact_id == bindparam("contact_id")),
            select(phone).where(phone.c.company_id == bindparam("company_id")),
        ).order_by("id"),
        contact_calls=recent_calls.where(call.c.contact_id == bindparam("contact_id")),
        company_calls=recent_calls.where(call.c.company_id == bindparam("company_id")),
        tasks=open_tasks.where(task.c.contact_id == bindparam("contact_id"))
        .order_by(task.c.due_at.is_(None), task.c.due_at)
        .limit(tasks),
        notes=select(note)
        .where(note.c.contact_id == bindparam("contact_id"))
        .order_by(note.c.created_at.desc())
        .limit(notes),
    )
