"""Contacts and companies through the services: search, audit, promote, merge."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, select

from crm_core.errors import ConflictError, InvalidFieldError, NotFoundError, PhoneTakenError
from crm_core.models import AuditEntry, Phone
from crm_core.services import Services
from crm_core.services.dto import CompanyCreate, ContactUpdate, NoteCreate, PageParams, PhoneIn
from tests.crm_core.conftest import SYSTEM, AddContact, call_record

PAGE = PageParams()


@pytest.mark.parametrize(
    "query", ["šťastný", "STASTNY", "Ján", "jan s", "stastny@example", "0905 111 222"]
)
async def test_search_by_name_email_or_phone(
    services: Services, add_contact: AddContact, query: str
) -> None:
    found = await add_contact("Ján", "Šťastný", "+421905111222", email="stastny@example.com")
    await add_contact("Peter", "Novák", "+421905111333")
    page = await services.search.search(query, PAGE)
    assert [item.id for item in page.items] == [found.id]


async def test_chinese_names_round_trip_and_are_searchable(
    services: Services, add_contact: AddContact
) -> None:
    created = await add_contact("伟", "王")
    assert (await services.contacts.get(created.id)).full_name == "伟 王"
    assert (await services.search.search("王", PAGE)).total == 1


async def test_search_by_company_name(services: Services, add_contact: AddContact) -> None:
    company = await services.companies.create(SYSTEM, CompanyCreate(name="Žilinská Strojáreň"))
    await add_contact("Eva", "Malá", company_id=company.id)
    await add_contact("Ida", "Iná")
    page = await services.search.search("zilinska", PAGE)
    assert [item.first_name for item in page.items] == ["Eva"]


async def test_search_escapes_like_wildcards(services: Services, add_contact: AddContact) -> None:
    await add_contact("Ann", "Smith")
    assert (await services.search.search("%", PAGE)).total == 0
    assert (await services.search.search("_", PAGE)).total == 0


async def test_a_suffix_does_not_find_a_phone(services: Services, add_contact: AddContact) -> None:
    await add_contact("Ján", "Šťastný", "+421900123456")
    assert (await services.search.search("123456", PAGE)).total == 0


async def test_search_paginates(services: Services, add_contact: AddContact) -> None:
    for index in range(5):
        await add_contact("Same", f"Name{index}")
    page = await services.search.search("same", PageParams(limit=2, offset=2))
    assert (page.total, [item.last_name for item in page.items]) == (5, ["Name2", "Name3"])


async def test_duplicate_phone_names_the_owning_card(
    services: Services, add_contact: AddContact
) -> None:
    owner = await add_contact("Ján", "Šťastný", "+421900123456")
    other = await add_contact("Peter", "Novák")
    with pytest.raises(PhoneTakenError) as caught:
        await services.contacts.add_phone(SYSTEM, other.id, PhoneIn(number="0900 123 456"))
    assert (caught.value.card_id, caught.value.card_name) == (owner.id, "Ján Šťastný")


async def test_invalid_phone_is_refused_with_the_field(
    services: Services, add_contact: AddContact
) -> None:
    contact = await add_contact("Ján", "Šťastný")
    with pytest.raises(InvalidFieldError) as caught:
        await services.contacts.add_phone(SYSTEM, contact.id, PhoneIn(number="123456"))
    assert caught.value.field == "number"


async def test_failed_create_leaves_nothing_behind(
    services: Services, add_contact: AddContact
) -> None:
    await add_contact("Ján", "Šťastný", "+421900123456")
    with pytest.raises(PhoneTakenError):
        await add_contact("Half", "Written", "+421900999888", "+421900123456")
    assert (await services.search.search("written", PAGE)).total == 0
    assert await services.cards.lookup("+421900999888") is None


async def test_every_change_is_audited_with_the_actor(
    services: Services, add_contact: AddContact
) -> None:
    contact = await add_contact("Ján", "Šťastný", "+421900123456")
    await services.contacts.update(SYSTEM, contact.id, ContactUpdate(position="CEO"))
    await services.contacts.delete(SYSTEM, contact.id)
    async with services.sessions() as session:
        entries = (await session.scalars(select(AuditEntry).order_by(AuditEntry.id))).all()
    assert [(e.table_name, e.action) for e in entries] == [
        ("contacts", "create"),
        ("phones", "create"),
        ("contacts", "update"),
        ("phones", "delete"),  # a removed card is archived; its phones go, each audited
        ("contacts", "archive"),
    ]
    assert entries[2].changes == {"position": ["", "CEO"]}
    assert {entry.actor_login for entry in entries} == {"system"}


async def test_update_unknown_company_is_not_found(
    services: Services, add_contact: AddContact
) -> None:
    contact = await add_contact()
    with pytest.raises(NotFoundError):
        await services.contacts.update(SYSTEM, contact.id, ContactUpdate(company_id=999_999))


async def test_lead_becomes_client_once(services: Services, add_contact: AddContact) -> None:
    contact = await add_contact()
    assert (await services.contacts.promote_to_client(SYSTEM, contact.id)).status == "client"
    with pytest.raises(ConflictError):
        await services.contacts.promote_to_client(SYSTEM, contact.id)


async def test_merge_cards_sharing_a_phone(services: Services, add_contact: AddContact) -> None:
    keep = await add_contact("Ján", "Šťastný", "+421900123456")
    drop = await add_contact("", "Stastny", "+421905000111", email="jan@example.com")
    async with services.sessions.begin() as session:  # what migration 0008 leaves of a number
        await session.execute(  # that a race had put on both cards: typed, without E.164
            insert(Phone).values(
                e164=None, raw="0900123456", kind="mobile", label="", contact_id=drop.id
            )
        )
    await services.calls.register(SYSTEM, call_record("m.1", "+421905000111"))
    await services.notes.add(SYSTEM, drop.id, NoteCreate(body="from the duplicate"))
    card = await services.cards.lookup("+421900123456")
    assert card is not None
    assert (card.contact and card.contact.id, card.other_matches) == (keep.id, [])
    merged = await services.merge.merge_contacts(SYSTEM, keep.id, drop.id)
    assert merged.email == "jan@example.com"
    assert sorted(phone.e164 or "" for phone in merged.phones) == ["+421900123456", "+421905000111"]
    assert [item.kind for item in await services.cards.timeline(keep.id)] == ["note", "call"]
    with pytest.raises(NotFoundError):
        await services.contacts.get(drop.id)
    card = await services.cards.lookup("+421900123456")
    assert card is not None
    assert card.other_matches == []
