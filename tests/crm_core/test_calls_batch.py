"""Many calls in one register_many land exactly as the same calls registered one by one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from crm_core.models import AuditEntry, Call, Contact, Task
from crm_core.models.enums import Direction, Disposition, Role
from crm_core.services import Services
from crm_core.services.call_followup import FollowUpRules
from crm_core.services.dto import Actor, CallRecord, ContactCreate, PhoneIn
from tests.fixtures.db import MakeUser

SYSTEM = Actor.system("cti")
T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
# (call, direction, number, disposition or None while ringing); a number is "stranger N" or the
# owned client; the same call twice is its start, then its end.
STORY: list[tuple[str, Direction, str, Disposition | None]] = [
    ("s1", Direction.INBOUND, "stranger 1", None),
    ("s1", Direction.INBOUND, "stranger 1", Disposition.MISSED),  # a lead and its call-back
    ("s2", Direction.INBOUND, "stranger 1", Disposition.ABANDONED),  # no second call-back
    ("s3", Direction.INBOUND, "stranger 1", Disposition.ANSWERED),  # closes it
    ("s4", Direction.INBOUND, "stranger 2", None),  # still ringing
    ("s5", Direction.INBOUND, "stranger 3", Disposition.MISSED),
    ("o1", Direction.OUTBOUND, "stranger 3", Disposition.ANSWERED),  # called back: closed
    ("c1", Direction.INBOUND, "client", Disposition.MISSED),  # the owner's call-back
    ("c2", Direction.INBOUND, "client", Disposition.MISSED),
    ("x1", Direction.INBOUND, "anonymous", Disposition.MISSED),  # nobody to call back
    ("i1", Direction.INTERNAL, "1002", Disposition.ANSWERED),
]


def _number(party: str, world: str) -> str:
    if party.startswith("stranger"):
        return f"+42190{world}{party[-1]}00000"
    return {"client": f"+42190{world}999999"}.get(party, party)


def _record(world: str, name: str, direction: Direction, party: str,
            disposition: Disposition | None) -> CallRecord:  # fmt: skip
    number = _number(party, world)
    fields: dict[str, Any] = {
        "linkedid": f"{world}.{name}", "direction": direction, "queue": "sales",
        "caller": number if direction == Direction.INBOUND else "1001",
        "callee": number if direction != Direction.INBOUND else "100",
        "started_at": T0, "agents_rang": ["1001"],
    }  # fmt: skip
    if disposition is not None:
        fields |= {"ended_at": T0 + timedelta(seconds=30), "disposition": disposition}
    if disposition == Disposition.ANSWERED:
        fields |= {"answered_by": "1001", "answered_at": T0 + timedelta(seconds=5)}
    return CallRecord.model_validate(fields)


async def _world(services: Services, world: str) -> list[tuple[Any, ...]]:
    """Each call of the world with its card and call-backs, the world's prefix taken out."""
    async with services.sessions() as session:
        calls = (await session.scalars(
            select(Call).where(Call.linkedid.like(f"{world}.%")).order_by(Call.linkedid)
        )).all()  # fmt: skip
        rows = []
        for call in calls:
            contact = (
                None if call.contact_id is None else await session.get(Contact, call.contact_id)
            )
            tasks = (await session.scalars(select(Task).where(Task.call_id == call.id))).all()
            rows.append((
                call.linkedid.split(".")[1], call.disposition, call.external_e164 is not None,
                None if contact is None else (contact.source, contact.owner_id is not None),
                sorted(_task(task, world) for task in tasks),
            ))  # fmt: skip
        return rows


def _task(task: Task, world: str) -> tuple[str, bool, str]:
    return task.kind, task.done_at is not None, (task.result or "").replace(f" {world}.", " .")


async def _audited(services: Services) -> int:
    async with services.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


@pytest.fixture
async def owned_clients(services: Services, make_user: MakeUser) -> None:
    owner, _ = await make_user(Role.AGENT, extensions=["1009"])
    await make_user(Role.SUPERVISOR)
    for world in ("1", "2"):
        data = ContactCreate(first_name="Ján", last_name=f"Client {world}", owner_id=owner.id,
                             phones=[PhoneIn(number=_number("client", world))])  # fmt: skip
        await services.contacts.create(SYSTEM, data)


@pytest.mark.usefixtures("owned_clients")
async def test_a_batch_leaves_what_one_by_one_leaves(services: Services) -> None:
    services.calls.add_hook(FollowUpRules(lead_policy="always"))
    audited = await _audited(services)
    for step in STORY:
        await services.calls.register(SYSTEM, _record("1", *step))
    one_by_one = await _audited(services) - audited
    stored = await services.calls.register_many(SYSTEM, [_record("2", *step) for step in STORY])
    assert await _world(services, "2") == await _world(services, "1")
    assert await _audited(services) - audited - one_by_one == one_by_one
    assert [call.linkedid for call in stored] == [f"2.{step[0]}" for step in STORY]
    leads = [row for row in await _world(services, "2") if row[3] and row[3][0] == "call"]
    assert {row[0] for row in leads} == {"s1", "s2", "s3", "s5", "o1"}  # two lead cards
