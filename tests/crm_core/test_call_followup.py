"""A finished call's follow-up: one call-back per missed caller, leads for strangers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count

import pytest
from sqlalchemy import func, select

from crm_core.models import Contact, Task
from crm_core.models.enums import Direction, Disposition, Role
from crm_core.services import Services
from crm_core.services.call_followup import FollowUpRules
from crm_core.services.dto import (
    Actor,
    CallRecord,
    ContactCreate,
    PhoneIn,
    TaskOut,
)
from tests.fixtures.db import MakeUser

SYSTEM = Actor.system("cti")
T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
_linkedids = count(1)


def _call(caller: str, disposition: Disposition, **extra: object) -> CallRecord:
    fields: dict[str, object] = {
        "linkedid": f"1764234000.{next(_linkedids)}",
        "direction": Direction.INBOUND,
        "caller": caller,
        "callee": "100",
        "queue": "sales",
        "agents_rang": ["1001", "1002", "1003"],
        "started_at": T0,
        "ended_at": T0 + timedelta(seconds=30),
        "disposition": disposition,
    }
    if disposition == Disposition.ANSWERED:
        fields |= {"answered_by": "1001", "answered_at": T0 + timedelta(seconds=5)}
    return CallRecord.model_validate(fields | extra)


async def _open_callbacks(services: Services) -> list[TaskOut]:
    async with services.sessions() as session:
        rows = await session.scalars(
            select(Task).where(Task.kind == "callback", Task.done_at.is_(None)).order_by(Task.id)
        )
        return [TaskOut.model_validate(row) for row in rows]


@pytest.fixture
def rules(services: Services) -> FollowUpRules:
    hook = FollowUpRules(lead_policy="always", queue_supervisors={"sales": "boss"})
    services.calls.add_hook(hook)
    return hook


async def _client_owned_by(services: Services, make_user: MakeUser, phone: str) -> tuple[int, int]:
    owner, _ = await make_user(Role.AGENT, extensions=["1009"])
    contact = await services.contacts.create(
        SYSTEM,
        ContactCreate(
            first_name="Ján", last_name="Šťastný", owner_id=owner.id, phones=[PhoneIn(number=phone)]
        ),
    )
    return contact.id, owner.id


async def test_a_missed_ring_all_call_gives_one_callback_for_the_owner(
    services: Services, make_user: MakeUser, rules: FollowUpRules
) -> None:
    contact_id, owner_id = await _client_owned_by(services, make_user, "+421 900 123 456")
    await services.calls.register(SYSTEM, _call("0900123456", Disposition.MISSED))
    tasks = await _open_callbacks(services)
    assert [(t.assignee_id, t.contact_id) for t in tasks] == [(owner_id, contact_id)]
    assert tasks[0].due_at is not None


async def test_registering_the_same_call_again_adds_no_task(
    services: Services, make_user: MakeUser, rules: FollowUpRules
) -> None:
    await _client_owned_by(services, make_user, "+421900123456")
    call = _call("+421900123456", Disposition.ABANDONED)
    await services.calls.register(SYSTEM, call)
    await services.calls.register(SYSTEM, call)
    assert len(await _open_callbacks(services)) == 1


async def test_no_second_task_while_one_is_open_and_an_answered_call_closes_it(
    services: Services, make_user: MakeUser, rules: FollowUpRules
) -> None:
    await _client_owned_by(services, make_user, "+421900123456")
    await services.calls.register(SYSTEM, _call("+421900123456", Disposition.MISSED))
    await services.calls.register(SYSTEM, _call("00421900123456", Disposition.ABANDONED))
    assert len(await _open_callbacks(services)) == 1
    await services.calls.register(SYSTEM, _call("+421900123456", Disposition.ANSWERED))
    assert await _open_callbacks(services) == []


async def test_a_stranger_gets_a_lead_card_and_the_queue_supervisor_the_callback(
    services: Services, make_user: MakeUser, rules: FollowUpRules
) -> None:
    boss, _ = await make_user(Role.SUPERVISOR, login="boss")
    stored = await services.calls.register(SYSTEM, _call("+44 (20) 7946-0958", Disposition.MISSED))
    card = await services.cards.lookup("+442079460958")
    assert card is not None
    assert card.contact is not None
    assert card.contact.status == "lead"
    assert card.contact.created_from_call_id == stored.id
    tasks = await _open_callbacks(services)
    assert [(t.assignee_id, t.contact_id) for t in tasks] == [(boss.id, card.contact.id)]


async def test_policy_answered_only_creates_no_lead_for_a_missed_call(
    services: Services, make_user: MakeUser
) -> None:
    services.calls.add_hook(FollowUpRules(lead_policy="answered"))
    await make_user(Role.SUPERVISOR)
    await services.calls.register(SYSTEM, _call("+420 601 123 456", Disposition.MISSED))
    assert await services.cards.lookup("+420601123456") is None
    tasks = await _open_callbacks(services)
    assert len(tasks) == 1
    assert tasks[0].contact_id is None
    await services.calls.register(SYSTEM, _call("+420601123456", Disposition.ANSWERED))
    assert await services.cards.lookup("+420601123456") is not None
    assert await _open_callbacks(services) == []


@pytest.mark.parametrize("caller", ["anonymous", "<unknown>", "", "123", "9" * 20])
async def test_callers_nobody_can_call_back_get_no_task_and_no_card(
    services: Services, make_user: MakeUser, rules: FollowUpRules, caller: str
) -> None:
    await make_user(Role.SUPERVISOR)
    await services.calls.register(SYSTEM, _call(caller, Disposition.ABANDONED))
    assert await _open_callbacks(services) == []
    async with services.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Contact)) == 0


async def test_outbound_unanswered_calls_leave_no_callback(
    services: Services, make_user: MakeUser, rules: FollowUpRules
) -> None:
    await _client_owned_by(services, make_user, "+421900123456")
    call = _call("1001", Disposition.MISSED, direction=Direction.OUTBOUND, callee="0900123456")
    await services.calls.register(SYSTEM, call)
    assert await _open_callbacks(services) == []


async def test_owner_of_a_number_is_the_contact_owner_in_any_spelling(
    services: Services, make_user: MakeUser
) -> None:
    contact_id, owner_id = await _client_owned_by(services, make_user, "+421 900 123 456")
    found = await services.routing.caller("0900 123 456")
    assert (found.known, found.owner_id) == (True, owner_id)
    assert not (await services.routing.caller("123456")).known
    assert not (await services.routing.caller("anonymous")).known
    assert contact_id


async def test_calling_the_client_back_closes_the_callback(
    services: Services, make_user: MakeUser, rules: FollowUpRules
) -> None:
    await _client_owned_by(services, make_user, "+421900123456")
    await services.calls.register(SYSTEM, _call("+421900123456", Disposition.MISSED))
    assert len(await _open_callbacks(services)) == 1
    back = _call("1009", Disposition.ANSWERED, direction=Direction.OUTBOUND, callee="0900123456")
    await services.calls.register(SYSTEM, back.model_copy(update={"answered_by": ""}))
    assert await _open_callbacks(services) == []
