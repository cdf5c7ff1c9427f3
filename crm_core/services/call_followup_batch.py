"""FollowUpRules for a batch of calls: the same leads, call-backs and closed call-backs as running
the rules call by call, in a fixed number of statements.

The calls are walked in order over what was read up front (the open call-backs of every number
and card in the batch, the cards' owners, the queues' supervisors), so a later call sees what an
earlier one did: a number's second call uses the lead its first call made, a missed call's
call-back stops a second one, an answered call closes a call-back made earlier in the batch.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any

from sqlalchemy import ColumnElement, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.models import Call, Contact, Phone, Task, User
from crm_core.models.enums import AuditAction, ContactStatus, Direction, Disposition, TaskKind
from crm_core.phones import phone_kind
from crm_core.services.audit import snapshot
from crm_core.services.bulk_rows import Audit, AuditRows, insert_returning_ids, table_of
from crm_core.services.call_batch import Change
from crm_core.services.call_followup import (
    UNANSWERED,
    FollowUpRules,
    _emit_lead,
    _first_staff,
    lead_facts,
)
from crm_core.services.dto import Actor, CallOut, TaskCreate
from crm_core.services.lead_distribution import distribute

BatchHook = Callable[[AsyncSession, Actor, Sequence[Change]], Awaitable[list[Change]]]
"""A call hook's batch form: the batch's changes in order -> the changes as they now stand."""


def batch_form(hook: object) -> BatchHook | None:
    """The batch form of a call hook, if it has one."""
    return partial(follow_up_many, hook) if isinstance(hook, FollowUpRules) else None


def just_finished(call: CallOut, before: CallOut | None) -> bool:
    return call.disposition is not None and (before is None or before.disposition is None)


async def follow_up_many(
    rules: FollowUpRules, session: AsyncSession, actor: Actor, changes: Sequence[Change]
) -> list[Change]:
    """Runs the rules over `changes` (in order); returns them with the calls that a lead made
    earlier in the batch now belongs to (as matching them one by one would have found)."""
    finished = [c for c, b in changes if just_finished(c, b) and c.external_e164 is not None]
    if not finished:
        return list(changes)
    audit = AuditRows()
    leads = await _make_leads(rules, session, actor, changes, audit.add_for(actor))
    changes = await _join_later_calls(session, changes, leads)
    book = await CallbackBook.read(session, finished)
    staff = StaffPicker(rules.queue_supervisors)
    staff.know_owners(leads.owners)
    for call in (c for c, b in changes if just_finished(c, b) and c.external_e164 is not None):
        await _follow_up(call, leads.contact_of(call), book, staff, session)
    await book.write(session, audit.add_for(actor))
    await audit.write(session)
    return changes


# -- leads ----------------------------------------------------------------------------------------
@dataclass
class Leads:
    """Lead cards made in this batch: ids by number, and the call (linkedid) that made each."""

    by_number: dict[str, int] = field(default_factory=dict)
    made_by: dict[str, CallOut] = field(default_factory=dict)
    owners: dict[int, int | None] = field(default_factory=dict)  # what the lead rules gave

    def contact_of(self, call: CallOut) -> int | None:
        if call.contact_id is not None:
            return call.contact_id
        return self.by_number.get(call.external_e164 or "")


def _wants_lead(rules: FollowUpRules, call: CallOut) -> bool:
    if call.direction != Direction.INBOUND or call.contact_id is not None:
        return False
    wanted = rules.lead_policy == "always" or (
        rules.lead_policy == "answered" and call.disposition == Disposition.ANSWERED
    )
    return wanted and call.company_id is None


async def _make_leads(
    rules: FollowUpRules, session: AsyncSession, actor: Actor, changes: Sequence[Change],
    audit: Audit,
) -> Leads:  # fmt: skip
    leads = Leads()
    for call, before in changes:
        number = call.external_e164
        if not just_finished(call, before) or number is None or number in leads.made_by:
            continue
        if _wants_lead(rules, call):
            leads.made_by[number] = call
    if not leads.made_by:
        return leads
    rows = [_lead_row(number, call) for number, call in leads.made_by.items()]
    leads.by_number = await insert_returning_ids(session, Contact, rows, "last_name")
    await session.execute(insert(table_of(Phone)), [
        {"e164": n, "raw": call.caller, "kind": phone_kind(n), "contact_id": leads.by_number[n]}
        for n, call in leads.made_by.items()
    ])  # fmt: skip
    await session.execute(update(Call), [
        {"id": call.id, "contact_id": leads.by_number[n]} for n, call in leads.made_by.items()
    ])  # fmt: skip
    for number, call in leads.made_by.items():
        lead_id = leads.by_number[number]
        audit(AuditAction.CREATE, "contacts", lead_id, {"created_from_call": call.id})
        _emit_lead(session, lead_id, call)
    leads.owners = dict.fromkeys(leads.by_number.values())
    facts = [lead_facts(leads.by_number[n], call) for n, call in leads.made_by.items()]
    for decision in await distribute(session, actor, facts):
        leads.owners[decision.contact_id] = decision.user_id
    return leads


def _lead_row(number: str, call: CallOut) -> dict[str, Any]:
    """What call_followup's lead card holds (last name: the number, unique in the batch)."""
    return {
        "last_name": number,
        "status": ContactStatus.LEAD.value,
        "source": "call",
        "created_from_call_id": call.id,
        "search_text": number.lower(),
    }


async def _join_later_calls(
    session: AsyncSession, changes: Sequence[Change], leads: Leads
) -> list[Change]:
    """Calls after a lead's own call with its number and no card: theirs now (one by one, their
    match would have found the lead's phone)."""
    joined: list[Change] = []
    updates = []
    made = {call.linkedid: number for number, call in leads.made_by.items()}
    open_numbers: set[str] = set()
    for call, before in changes:
        number = call.external_e164
        if number in open_numbers and call.contact_id is None:
            lead_id = leads.by_number[number]
            call = call.model_copy(update={"contact_id": lead_id, "company_id": None})
            updates.append({"id": call.id, "contact_id": lead_id, "company_id": None})
        if call.linkedid in made:
            open_numbers.add(made[call.linkedid])
        joined.append((call, before))
    if updates:
        await session.execute(update(Call), updates)
    return joined


# -- call-backs -----------------------------------------------------------------------------------
@dataclass
class OpenCallback:
    number: str | None  # the external number of the call the task was made for
    contact_id: int | None
    task_id: int | None = None  # an existing task; None: made in this batch
    data: TaskCreate | None = None  # what to make
    closed_by: str | None = None  # linkedid
    closed_at: datetime | None = None

    def row(self) -> dict[str, Any]:
        assert self.data is not None
        closed = self.closed_by is not None  # every row has the same columns (one executemany)
        return self.data.model_dump() | {
            "kind": self.data.kind.value,
            "done_at": self.closed_at if closed else None,
            "result": _closed(self.closed_by) if closed else "",
        }

    def matches(self, number: str | None, contact_id: int | None) -> bool:
        if self.closed_by is not None:
            return False
        return self.number == number or (contact_id is not None and self.contact_id == contact_id)


@dataclass
class CallbackBook:
    """The open call-backs of the batch's numbers and cards; what the batch adds and closes."""

    entries: list[OpenCallback]

    @classmethod
    async def read(cls, session: AsyncSession, calls: Sequence[CallOut]) -> CallbackBook:
        numbers = sorted({c.external_e164 for c in calls if c.external_e164})
        contacts = sorted({c.contact_id for c in calls if c.contact_id is not None})
        same_caller: ColumnElement[bool] = Call.external_e164.in_(numbers)
        if contacts:
            same_caller = or_(same_caller, Task.contact_id.in_(contacts))
        rows = await session.execute(
            select(Task.id, Call.external_e164, Task.contact_id)
            .outerjoin(Call, Call.id == Task.call_id)
            .where(Task.done_at.is_(None), Task.kind == TaskKind.CALLBACK.value, same_caller)
            .order_by(Task.id)
        )
        return cls([OpenCallback(number, contact, task_id) for task_id, number, contact in rows])

    def open_for(self, number: str | None, contact_id: int | None) -> list[OpenCallback]:
        return [entry for entry in self.entries if entry.matches(number, contact_id)]

    def close(self, call: CallOut, contact_id: int | None) -> None:
        now = datetime.now(UTC)
        for entry in self.open_for(call.external_e164, contact_id):
            entry.closed_by, entry.closed_at = call.linkedid, now

    def add(self, call: CallOut, contact_id: int | None, data: TaskCreate) -> None:
        self.entries.append(OpenCallback(call.external_e164, contact_id, data=data))

    async def write(self, session: AsyncSession, audit: Audit) -> None:
        """New call-backs in one INSERT (closed ones already closed), then the closings."""
        made = [entry for entry in self.entries if entry.data is not None]
        rows = [entry.row() for entry in made]
        ids = await insert_returning_ids(session, Task, rows, "call_id")
        for entry in made:
            assert entry.data is not None
            entry.task_id = ids[entry.data.call_id]
            audit(AuditAction.CREATE, "tasks", entry.task_id, snapshot(entry.data))
        closed = [entry for entry in self.entries if entry.closed_by is not None]
        existing = [entry for entry in closed if entry.data is None]
        if existing:
            await session.execute(update(Task), [
                {"id": e.task_id, "done_at": e.closed_at, "result": _closed(e.closed_by)}
                for e in existing
            ])  # fmt: skip
        for entry in closed:
            assert entry.task_id is not None
            assert entry.closed_at is not None
            audit(
                AuditAction.UPDATE, "tasks", entry.task_id, {"done_at": entry.closed_at.isoformat()}
            )


def _closed(linkedid: str | None) -> str:
    return f"closed by answered call {linkedid}"


@dataclass
class StaffPicker:
    """Who gets a call-back: the card's owner, else the queue's supervisor, else the first
    supervisor (admin); each looked up once per batch."""

    queue_supervisors: dict[str, str]
    _owners: dict[int, int | None] = field(default_factory=dict)
    _logins: dict[str, int | None] = field(default_factory=dict)
    _first: list[int | None] = field(default_factory=list)

    def know_owners(self, owners: dict[int, int | None]) -> None:
        """Cards made in this batch (leads): the owner the lead rules gave them, or none."""
        self._owners.update(owners)

    async def assignee(
        self, session: AsyncSession, contact_id: int | None, queue: str
    ) -> int | None:
        if contact_id is not None:
            if contact_id not in self._owners:
                owner_of = select(Contact.owner_id).where(Contact.id == contact_id)
                self._owners[contact_id] = await session.scalar(owner_of)
            if self._owners[contact_id] is not None:
                return self._owners[contact_id]
        login = self.queue_supervisors.get(queue)
        if login:
            if login not in self._logins:
                user_of = select(User.id).where(User.login == login)
                self._logins[login] = await session.scalar(user_of)
            if self._logins[login] is not None:
                return self._logins[login]
        if not self._first:
            self._first.append(await _first_staff(session))
        return self._first[0]


async def _follow_up(
    call: CallOut, contact_id: int | None, book: CallbackBook, staff: StaffPicker,
    session: AsyncSession,
) -> None:  # fmt: skip
    if call.direction == Direction.OUTBOUND:
        if call.disposition == Disposition.ANSWERED:  # the agent called the client back
            book.close(call, call.contact_id)
        return
    if call.direction != Direction.INBOUND:
        return
    if call.disposition == Disposition.ANSWERED:
        book.close(call, contact_id)
    elif call.disposition in UNANSWERED and not book.open_for(call.external_e164, contact_id):
        assignee = await staff.assignee(session, contact_id, call.queue)
        if assignee is not None:
            book.add(call, contact_id, _callback(call, contact_id, assignee))


def _callback(call: CallOut, contact_id: int | None, assignee: int) -> TaskCreate:
    subject = f"Call back {call.external_e164} ({call.disposition} call)"
    return TaskCreate(
        kind=TaskKind.CALLBACK,
        subject=subject[:200],
        due_at=call.ended_at or datetime.now(UTC),
        assignee_id=assignee,
        contact_id=contact_id,
        call_id=call.id,
    )
