"""When a card was last contacted, as SQL: the newest answered call (either direction), note or
completed task of the contact. One correlated subquery per kind (each served by an index on
contact_id), combined by `latest_of` (GREATEST on PostgreSQL, an equivalent on SQLite)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, exists, func, select, type_coerce
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import FunctionElement

from crm_core.models import Call, Company, Contact, Note, Task
from crm_core.models.base import UtcDateTime
from crm_core.models.enums import Disposition


class latest_of(FunctionElement[Any]):  # noqa: N801 (an SQL function's name)
    """The largest non-NULL argument; NULL when all are NULL."""

    inherit_cache = True
    name = "latest_of"


@compiles(latest_of, "postgresql")
def _greatest(element: latest_of, compiler: SQLCompiler, **kw: Any) -> str:
    return f"GREATEST({compiler.process(element.clauses, **kw)})"


@compiles(latest_of, "sqlite")
def _sqlite_max(element: latest_of, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLite's max(a, b, ...) is NULL when any argument is: put a non-NULL one in each place.
    args = [compiler.process(clause, **kw) for clause in element.clauses]
    rotated = [", ".join(args[i:] + args[:i]) for i in range(len(args))]
    return "max(" + ", ".join(f"coalesce({r})" for r in rotated) + ")"


def last_call_at() -> ColumnElement[Any]:
    return (
        select(func.max(Call.started_at))
        .where(Call.contact_id == Contact.id, Call.disposition == Disposition.ANSWERED.value)
        .correlate(Contact)
        .scalar_subquery()
    )


def last_note_at() -> ColumnElement[Any]:
    return (
        select(func.max(Note.created_at))
        .where(Note.contact_id == Contact.id)
        .correlate(Contact)
        .scalar_subquery()
    )


def last_task_at() -> ColumnElement[Any]:
    return (
        select(func.max(Task.done_at))
        .where(Task.contact_id == Contact.id, Task.done_at.is_not(None))
        .correlate(Contact)
        .scalar_subquery()
    )


def last_contact_at() -> ColumnElement[Any]:
    latest = latest_of(last_call_at(), last_note_at(), last_task_at())
    return type_coerce(latest, UtcDateTime)


class has_tag(FunctionElement[bool]):  # noqa: N801
    """The contact's company carries `tag` in its JSON list of tags (exact match)."""

    inherit_cache = True
    name = "has_tag"


@compiles(has_tag, "postgresql")
def _jsonb_contains(element: has_tag, compiler: SQLCompiler, **kw: Any) -> str:
    tags, tag = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(CAST({tags} AS JSONB) @> jsonb_build_array(CAST({tag} AS TEXT)))"


@compiles(has_tag, "sqlite")
def _json_each(element: has_tag, compiler: SQLCompiler, **kw: Any) -> str:
    tags, tag = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"EXISTS (SELECT 1 FROM json_each({tags}) WHERE json_each.value = {tag})"


def company_tagged(tag: str) -> ColumnElement[bool]:
    return exists().where(Company.id == Contact.company_id, has_tag(Company.tags, tag))


def called_in_queue(queue: str) -> ColumnElement[bool]:
    """The contact has a call (any outcome) that went through `queue`."""
    return exists().where(Call.contact_id == Contact.id, Call.queue == queue)
