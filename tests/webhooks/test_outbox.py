"""The outbox is written in the same transaction as the change it tells of, once per change."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, func, select

from crm_core.errors import ConflictError
from crm_core.models import Call, WebhookEvent
from crm_core.models.enums import Role
from crm_core.services import Services
from crm_core.services.dto import Actor, ContactCreate, NoteCreate
from crm_core.services.dto.callbacks import CallbackCreate
from crm_core.webhooks.call_events import CallWebhookEvents
from crm_core.webhooks.outbox import emit
from crm_core.webhooks.schema import SCHEMA
from tests.crm_core.conftest import SYSTEM, AddContact, call_record, minutes_ago
from tests.fixtures.db import MakeUser
from tests.webhooks.conftest import whole_call


async def bodies(services: Services) -> list[dict[str, Any]]:
    async with services.sessions() as session:
        rows = await session.scalars(select(WebhookEvent.body).order_by(WebhookEvent.id))
        return [json.loads(body) for body in rows]


async def test_a_call_step_by_step_gives_each_event_once(
    services: Services, call_events: CallWebhookEvents
) -> None:
    ringing = call_record("L1", queue="sales", agents_rang=["1001"])
    await services.calls.register(SYSTEM, ringing)
    answered = ringing.model_copy(update={"answered_at": minutes_ago(9), "answered_by": "1001"})
    await services.calls.register(SYSTEM, answered)
    await services.calls.register(SYSTEM, answered)  # a replay: nothing new
    await services.calls.register(SYSTEM, whole_call("L1"))
    events = await bodies(services)
    assert [e["type"] for e in events] == [
        "call.ringing", "call.answered", "call.transferred", "call.ended",
    ]  # fmt: skip
    assert {e["call_id"] for e in events} == {"pbx1:L1"}
    assert {e["schema"] for e in events} == {SCHEMA}
    assert len({e["id"] for e in events}) == 4
    ended = events[-1]["data"]
    assert ended["duration_seconds"] == 240
    assert ended["disposition"] == "answered"
    assert ended["recording"] == "https://pbx.example/rec/1.wav"
    assert ended["call"]["answered_by"] == "1001"
    assert events[2]["data"]["transfer"]["to"] == "1002"


async def test_a_backlog_written_at_once_still_gives_every_event_in_order(
    services: Services, call_events: CallWebhookEvents
) -> None:
    await services.calls.register_many(SYSTEM, [whole_call("L2"), call_record("L3")])
    types = [(e["call_id"], e["type"]) for e in await bodies(services)]
    assert types == [
        ("pbx1:L2", "call.ringing"), ("pbx1:L2", "call.answered"),
        ("pbx1:L2", "call.transferred"), ("pbx1:L2", "call.ended"), ("pbx1:L3", "call.ringing"),
    ]  # fmt: skip


async def test_no_event_when_the_change_is_rolled_back(
    services: Services, call_events: CallWebhookEvents
) -> None:
    async def refuse(*_args: object) -> None:
        raise RuntimeError("a later hook fails: the whole registration is rolled back")

    services.calls.add_hook(refuse)
    with pytest.raises(RuntimeError):
        await services.calls.register(SYSTEM, whole_call("L4"))
    async with services.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Call)) == 0
    assert await bodies(services) == []


async def test_a_new_contact_is_an_event_and_a_refused_one_is_not(
    services: Services, add_contact: AddContact
) -> None:
    contact = await add_contact("Ján", "Novák", "+421900111222")
    with pytest.raises(ConflictError):
        await services.contacts.create(
            SYSTEM,
            ContactCreate.model_validate(
                {"last_name": "X", "phones": [{"number": "+421900111222"}]}
            ),
        )
    events = await bodies(services)
    assert [e["type"] for e in events] == ["contact.created"]
    assert events[0]["data"]["contact"]["id"] == contact.id
    assert events[0]["call_id"] is None


async def test_a_callback_falling_due_is_one_event(
    services: Services, add_contact: AddContact, make_user: MakeUser
) -> None:
    user, _ = await make_user(Role.AGENT, extensions=["1001"])
    agent = Actor(id=user.id, login=user.login, role=Role.AGENT)
    contact = await add_contact("Eva", "Malá", "+421900333444")
    due = datetime.now(UTC) + timedelta(minutes=5)
    callback = await services.callbacks.schedule(
        agent, CallbackCreate(contact_id=contact.id, subject="Offer", due_at=due)
    )
    assert await services.due_callbacks.claim_notified(callback.id, due)
    assert not await services.due_callbacks.claim_notified(callback.id, due)  # once
    events = [e for e in await bodies(services) if e["type"] == "callback.due"]
    assert len(events) == 1
    assert events[0]["data"]["callback"]["id"] == callback.id
    assert events[0]["data"]["callback"]["subject"] == "Offer"


async def test_a_wrapup_note_is_a_call_event(
    services: Services, call_events: CallWebhookEvents, add_contact: AddContact
) -> None:
    contact = await add_contact("Ivan", "Veľký", "+421900123456")
    call = await services.calls.register(SYSTEM, whole_call("L5"))
    await services.notes.add(SYSTEM, contact.id, NoteCreate(body="wants an offer", call_id=call.id))
    await services.notes.add(SYSTEM, contact.id, NoteCreate(body="not about a call"))
    events = await bodies(services)
    wrapups = [e for e in events if e["type"] == "call.wrapup"]
    assert len(wrapups) == 1
    assert wrapups[0]["call_id"] == "pbx1:L5"
    assert wrapups[0]["data"]["note"]["body"] == "wants an offer"


async def test_a_batch_of_calls_writes_its_events_in_one_statement(
    services: Services, call_events: CallWebhookEvents
) -> None:
    inserts: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO WEBHOOK_EVENTS"):
            inserts.append(statement)

    sync_engine = services.engine.sync_engine
    event.listen(sync_engine, "before_cursor_execute", seen)
    try:
        await services.calls.register_many(SYSTEM, [whole_call(f"B{i}") for i in range(20)])
    finally:
        event.remove(sync_engine, "before_cursor_execute", seen)
    assert len(await bodies(services)) == 20 * 4
    assert len(inserts) == 1


async def test_events_of_a_rolled_back_transaction_are_never_written(
    services: Services,
) -> None:
    async with services.sessions() as session:
        emit(session, "contact.created", {"contact": {"id": 1}}, "contact:1")
        await session.rollback()
        emit(session, "contact.created", {"contact": {"id": 2}}, "contact:2")
        await session.commit()
    async with services.sessions() as session:
        emit(session, "contact.created", {"contact": {"id": 3}}, "contact:3")
    # closed without a commit: gone too
    assert [e["data"]["contact"]["id"] for e in await bodies(services)] == [2]
