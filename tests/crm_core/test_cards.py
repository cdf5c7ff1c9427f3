"""Card lookup by phone (the screen-pop hot path) and the card timeline."""

from __future__ import annotations

import pytest

from crm_core.services import Services
from crm_core.services.dto import CompanyCreate, NoteCreate, PhoneIn, TaskCreate
from tests.crm_core.conftest import SYSTEM, AddContact, call_record, minutes_ago
from tests.fixtures.db import MakeUser


@pytest.mark.parametrize("typed", ["+421 900 123 456", "00421900123456", "0900 123 456"])
async def test_any_spelling_finds_the_card(
    services: Services, add_contact: AddContact, typed: str
) -> None:
    contact = await add_contact("Ján", "Šťastný", "0900123456")
    card = await services.cards.lookup(typed)
    assert card is not None
    assert card.contact is not None
    assert card.contact.id == contact.id
    assert card.phone == "+421900123456"


@pytest.mark.parametrize(
    "typed", ["123456", "900", "anonymous", "<unknown>", "1001", "9" * 20, b"\xff\xfe"]
)
async def test_partial_or_odd_numbers_find_nothing(
    services: Services, add_contact: AddContact, typed: str | bytes
) -> None:
    await add_contact("Ján", "Šťastný", "+421900123456")
    assert await services.cards.lookup(typed) is None


async def test_held_numbers_tells_which_numbers_a_card_holds_in_one_query(
    services: Services, add_contact: AddContact
) -> None:
    await add_contact("Ján", "Šťastný", "+421900123456")
    company = CompanyCreate(name="Acme s.r.o.", phones=[PhoneIn(number="+44 20 7946 0958")])
    await services.companies.create(SYSTEM, company)
    asked = ["0900 123 456", "+421900123456", "+442079460958", "+442079460959", "anonymous", ""]
    held = await services.cards.held_numbers(asked)
    assert held == {"0900 123 456", "+421900123456", "+442079460958"}
    for number in set(asked) - held:
        assert await services.cards.lookup(number) is None, number
    assert await services.cards.held_numbers([]) == set()


async def test_card_carries_company_owner_calls_tasks_and_notes(
    services: Services, add_contact: AddContact, make_user: MakeUser
) -> None:
    owner, _ = await make_user()
    company = await services.companies.create(SYSTEM, CompanyCreate(name="Acme s.r.o."))
    contact = await add_contact(
        "Eva", "Nová", "+420601123456", company_id=company.id, owner_id=owner.id
    )
    for index in range(7):
        await services.calls.register(
            SYSTEM,
            call_record(f"call-{index}", "+420601123456", started_at=minutes_ago(100 - index)),
        )
    await services.tasks.create(
        SYSTEM, TaskCreate(subject="Call back", contact_id=contact.id, assignee_id=owner.id)
    )
    await services.notes.add(SYSTEM, contact.id, NoteCreate(body="Prefers email"))
    card = await services.cards.lookup("+420 601 123 456")
    assert card is not None
    assert card.company is not None
    assert card.company.name == "Acme s.r.o."
    assert card.owner is not None
    assert card.owner.id == owner.id
    assert [call.linkedid for call in card.last_calls] == [f"call-{i}" for i in (6, 5, 4, 3, 2)]
    assert [task.subject for task in card.open_tasks] == ["Call back"]
    assert [note.body for note in card.last_notes] == ["Prefers email"]


async def test_company_phone_gives_a_company_card(services: Services) -> None:
    company = await services.companies.create(
        SYSTEM, CompanyCreate(name="Switchboard Ltd", phones=[PhoneIn(number="+44 20 7946 0958")])
    )
    card = await services.cards.lookup("+442079460958")
    assert card is not None
    assert card.contact is None
    assert card.company is not None
    assert card.company.id == company.id


async def test_timeline_mixes_calls_tasks_and_notes_newest_first(
    services: Services, add_contact: AddContact, make_user: MakeUser
) -> None:
    contact = await add_contact("Ján", "Šťastný", "+421900123456")
    await services.calls.register(SYSTEM, call_record("old-call", started_at=minutes_ago(60 * 24)))
    agent, _ = await make_user()
    await services.tasks.create(
        SYSTEM, TaskCreate(subject="t", contact_id=contact.id, assignee_id=agent.id)
    )
    await services.notes.add(SYSTEM, contact.id, NoteCreate(body="latest"))
    timeline = await services.cards.timeline(contact.id)
    assert [item.kind for item in timeline] == ["note", "task", "call"]
    assert timeline[-1].call is not None
    assert timeline[-1].call.linkedid == "old-call"
    assert [item.kind for item in await services.cards.timeline(contact.id, limit=1, offset=1)] == [
        "task"
    ]
