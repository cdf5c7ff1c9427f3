"""Rotation through the services, on SQLite and PostgreSQL: who counts as not contacted (an
answered call either way, a note, a completed task; a card never contacted counts from its
creation), the filters and paging, the agent's own-cards rule, bulk assignment (audited) and
call-backs spread over the next days."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from crm_core.errors import InvalidFieldError, PermissionDeniedError
from crm_core.models import AuditEntry, Contact, Note, Task
from crm_core.models.enums import Role
from crm_core.services import Services
from crm_core.services.dto import (
    Actor,
    CompanyCreate,
    ContactOut,
    NoteCreate,
    PageParams,
    TaskCreate,
    TaskUpdate,
    UserOut,
)
from crm_core.services.dto.rotation import BulkAssign, BulkCallbacks, StaleFilter
from tests.crm_core.conftest import SYSTEM, AddContact, call_record, minutes_ago
from tests.fixtures.db import MakeUser

PAGE = PageParams(limit=50)
DAY = 60 * 24


def actor_of(user: UserOut) -> Actor:
    return Actor(id=user.id, login=user.login, role=user.role)


async def age(services: Services, contact: ContactOut, days: int) -> None:
    """Make the card `days` days old."""
    async with services.sessions.begin() as session:
        await session.execute(
            update(Contact)
            .where(Contact.id == contact.id)
            .values(created_at=minutes_ago(days * DAY))
        )


async def note_on(services: Services, contact: ContactOut, days_ago: int) -> None:
    note = await services.notes.add(SYSTEM, contact.id, NoteCreate(body="Spoke about the offer"))
    async with services.sessions.begin() as session:
        await session.execute(
            update(Note).where(Note.id == note.id).values(created_at=minutes_ago(days_ago * DAY))
        )


async def task_on(
    services: Services, owner: UserOut, contact: ContactOut, done_days_ago: int | None
) -> None:
    task = await services.tasks.create(
        actor_of(owner), TaskCreate(subject="Send the price list", contact_id=contact.id)
    )
    if done_days_ago is not None:
        await services.tasks.update(actor_of(owner), task.id, TaskUpdate(done=True))
        async with services.sessions.begin() as session:
            await session.execute(
                update(Task)
                .where(Task.id == task.id)
                .values(done_at=minutes_ago(done_days_ago * DAY))
            )


async def stale_ids(services: Services, actor: Actor = SYSTEM, **wanted: object) -> list[int]:
    page = await services.rotation.stale(actor, StaleFilter.model_validate(wanted), PAGE)
    assert page.total == len(page.items)
    return [item.id for item in page.items]


async def test_contacted_means_an_answered_call_a_note_or_a_completed_task(
    services: Services, add_contact: AddContact, make_user: MakeUser
) -> None:
    agent, _ = await make_user(Role.AGENT)
    called_long_ago = await add_contact("Called", "Longago", "+421900000001", status="client")
    rang_back = await add_contact("Rang", "Back", "+421900000002", status="client")
    only_missed = await add_contact("Only", "Missed", "+421900000003")
    noted = await add_contact("Noted", "Recently", "+421900000004")
    task_done = await add_contact("Task", "Done")
    task_open = await add_contact("Task", "Open", status="client")
    brand_new = await add_contact("Brand", "New")
    partner = await add_contact("Some", "Partner", status="partner")
    for card, days in ((called_long_ago, 100), (rang_back, 100), (only_missed, 100), (noted, 100),
                       (task_done, 100), (task_open, 90), (partner, 100)):  # fmt: skip
        await age(services, card, days)
    await age(services, brand_new, 2)
    register = services.calls.register
    answered = {"disposition": "answered"}
    await register(
        SYSTEM, call_record("a.1", "+421900000001", started_at=minutes_ago(40 * DAY), **answered)
    )
    await register(SYSTEM, call_record("b.1", "1001", direction="outbound",
                                       callee="+421900000002", started_at=minutes_ago(5 * DAY),
                                       **answered))  # fmt: skip
    await register(SYSTEM, call_record("c.1", "+421900000003", started_at=minutes_ago(2 * DAY),
                                       disposition="missed"))  # fmt: skip
    await note_on(services, noted, 3)
    await task_on(services, agent, task_done, done_days_ago=1)
    await task_on(services, agent, task_open, done_days_ago=None)

    page = await services.rotation.stale(SYSTEM, StaleFilter(days=30), PAGE)
    assert [item.id for item in page.items] == [only_missed.id, task_open.id, called_long_ago.id]
    never, _, called = page.items
    assert (never.last_contact_at, never.last_contact_kind, never.days_since) == (None, None, 100)
    assert (called.last_contact_kind, called.days_since) == ("call_inbound", 40)
    assert called.company is None
    assert called.phones[0].e164 == "+421900000001"

    last_week = await services.rotation.stale(SYSTEM, StaleFilter(days=4), PAGE)
    kinds = {item.id: item.last_contact_kind for item in last_week.items}
    assert kinds[rang_back.id] == "call_outbound"
    assert noted.id not in kinds
    assert await stale_ids(services, days=1, statuses=["partner"]) == [partner.id]


async def test_filters_by_owner_status_tag_and_queue_and_pages(
    services: Services, add_contact: AddContact, make_user: MakeUser
) -> None:
    alice, _ = await make_user(Role.AGENT)
    bob, _ = await make_user(Role.AGENT)
    vip = await services.companies.create(
        SYSTEM, CompanyCreate(name="Tatra a.s.", tags=["VIP", "SK"])
    )
    plain = await services.companies.create(
        SYSTEM, CompanyCreate(name="Plain s.r.o.", tags=["VIPish"])
    )
    cards = [
        await add_contact("Vip", "Lead", "+421900000011", owner_id=alice.id, company_id=vip.id),
        await add_contact("Vip", "Client", "+421900000012", owner_id=bob.id, company_id=vip.id,
                          status="client"),
        await add_contact("Plain", "Client", "+421900000013", owner_id=alice.id,
                          company_id=plain.id, status="client"),
    ]  # fmt: skip
    for days, card in zip((60, 50, 40), cards, strict=True):
        await age(services, card, days)
    await services.calls.register(SYSTEM, call_record("q.1", "+421900000013", queue="sales",
                                                      started_at=minutes_ago(45 * DAY),
                                                      disposition="abandoned"))  # fmt: skip
    ids = [card.id for card in cards]
    assert await stale_ids(services) == ids
    assert await stale_ids(services, owner_id=alice.id) == [ids[0], ids[2]]
    assert await stale_ids(services, statuses=["client"]) == ids[1:]
    assert await stale_ids(services, tag="VIP") == ids[:2]
    assert await stale_ids(services, tag="vip") == []
    assert await stale_ids(services, queue="sales") == [ids[2]]
    assert await stale_ids(services, queue="support") == []
    second = await services.rotation.stale(SYSTEM, StaleFilter(), PageParams(limit=1, offset=1))
    assert (second.total, [item.id for item in second.items]) == (3, [ids[1]])
    exported = [row.id async for row in services.rotation.export(SYSTEM, StaleFilter(tag="SK"))]
    assert exported == ids[:2]


async def test_an_agent_sees_only_their_own_cards_a_supervisor_everyones(
    services: Services, add_contact: AddContact, make_user: MakeUser
) -> None:
    alice, _ = await make_user(Role.AGENT)
    bob, _ = await make_user(Role.AGENT)
    boss, _ = await make_user(Role.SUPERVISOR)
    mine = await add_contact("Alice's", "Client", owner_id=alice.id)
    theirs = await add_contact("Bob's", "Client", owner_id=bob.id)
    nobodys = await add_contact("Nobody's", "Lead")
    for card in (mine, theirs, nobodys):
        await age(services, card, 40)
    assert await stale_ids(services, actor_of(alice)) == [mine.id]
    assert await stale_ids(services, actor_of(alice), owner_id=alice.id) == [mine.id]
    with pytest.raises(PermissionDeniedError, match="their own clients"):
        await stale_ids(services, actor_of(alice), owner_id=bob.id)
    assert await stale_ids(services, actor_of(boss)) == [mine.id, theirs.id, nobodys.id]
    assert await stale_ids(services, actor_of(boss), owner_id=bob.id) == [theirs.id]


async def test_bulk_assign_is_audited_per_card_and_agents_keep_to_their_own(
    services: Services, add_contact: AddContact, make_user: MakeUser
) -> None:
    alice, _ = await make_user(Role.AGENT)
    bob, _ = await make_user(Role.AGENT)
    boss, _ = await make_user(Role.SUPERVISOR)
    first = await add_contact("First", "Card", owner_id=alice.id)
    second = await add_contact("Second", "Card", owner_id=bob.id)
    already = await add_contact("Already", "Bobs", owner_id=bob.id)

    with pytest.raises(PermissionDeniedError, match=rf"not yours: {second.id}$"):
        await services.rotation.assign(
            actor_of(alice), BulkAssign(contact_ids=[first.id, second.id], owner_id=alice.id)
        )
    with pytest.raises(InvalidFieldError) as unknown:
        await services.rotation.assign(
            actor_of(boss), BulkAssign(contact_ids=[first.id, 999_999], owner_id=bob.id)
        )
    assert unknown.value.field == "contact_ids"
    assert "999999" in unknown.value.reason
    with pytest.raises(InvalidFieldError) as no_owner:
        await services.rotation.assign(
            actor_of(boss), BulkAssign(contact_ids=[first.id], owner_id=999_999)
        )
    assert no_owner.value.field == "owner_id"
    assert (await services.contacts.get(first.id)).owner is not None

    done = await services.rotation.assign(
        actor_of(boss), BulkAssign(contact_ids=[first.id, already.id, first.id], owner_id=bob.id)
    )
    assert (done.assigned, done.unchanged) == (1, 1)
    assert (await services.contacts.get(first.id)).owner.id == bob.id  # type: ignore[union-attr]
    async with services.sessions() as session:
        audit = list(await session.scalars(select(AuditEntry).where(
            AuditEntry.table_name == "contacts", AuditEntry.action == "update")))  # fmt: skip
    assert [(a.record_id, a.actor_login, a.changes) for a in audit] == [
        (first.id, boss.login, {"owner_id": [alice.id, bob.id], "bulk": "rotation"})
    ]
    handed_over = await services.rotation.assign(
        actor_of(bob), BulkAssign(contact_ids=[first.id], owner_id=alice.id)
    )
    assert handed_over.assigned == 1  # an agent may hand their own card to a colleague


async def test_call_backs_are_spread_over_the_days_for_each_cards_owner(
    services: Services, add_contact: AddContact, make_user: MakeUser
) -> None:
    alice, _ = await make_user(Role.AGENT)
    boss, _ = await make_user(Role.SUPERVISOR)
    cards = [await add_contact("Card", str(n), owner_id=alice.id) for n in range(3)]
    cards.append(await add_contact("Nobody's", "Card"))
    zone = ZoneInfo("Europe/Bratislava")
    tomorrow = datetime.now(zone).date() + timedelta(days=1)
    plan = BulkCallbacks(
        contact_ids=[card.id for card in cards], subject="Rotation: how are you doing?",
        first_day=tomorrow, days=2, day_start=time(9), day_end=time(17), weekdays_only=False,
        auto_dial=True,
    )  # fmt: skip
    planned = await services.rotation.plan_callbacks(actor_of(boss), plan)
    local = [
        (c.contact_id, c.due_at.astimezone(zone).replace(tzinfo=None)) for c in planned if c.due_at
    ]
    day_after = tomorrow + timedelta(days=1)
    assert local == [
        (cards[0].id, datetime.combine(tomorrow, time(9))),
        (cards[1].id, datetime.combine(tomorrow, time(13))),
        (cards[2].id, datetime.combine(day_after, time(9))),
        (cards[3].id, datetime.combine(day_after, time(13))),
    ]
    assert [c.assignee_id for c in planned] == [alice.id] * 3 + [boss.id]
    assert all(c.scheduled and c.auto_dial and c.subject == plan.subject for c in planned)
    assert len([c for c in await services.callbacks.mine(actor_of(alice)) if c.scheduled]) == 3
    async with services.sessions() as session:
        audited = list(await session.scalars(select(AuditEntry.record_id).where(
            AuditEntry.table_name == "tasks", AuditEntry.actor_login == boss.login)))  # fmt: skip
    assert sorted(audited) == sorted(c.id for c in planned)
    with pytest.raises(PermissionDeniedError):
        await services.rotation.plan_callbacks(actor_of(alice), plan)  # the last card is not hers


def test_spreading_starts_today_from_now_and_skips_weekends() -> None:
    from crm_core.services.callback_spread import spread

    zone = ZoneInfo("UTC")
    friday = date(2026, 12, 4)
    plan = BulkCallbacks(contact_ids=[1], subject="x", first_day=friday, days=2, time_zone="UTC")
    now = datetime(2026, 12, 4, 12, 2, tzinfo=UTC)
    due = spread(plan, 4, now)
    assert [d.astimezone(zone).strftime("%a %H:%M") for d in due] == [
        "Fri 12:05", "Fri 14:32", "Mon 09:00", "Mon 13:00",
    ]  # fmt: skip
    with pytest.raises(InvalidFieldError, match="past"):
        spread(plan.model_copy(update={"first_day": date(2026, 12, 3)}), 1, now)
    evening = datetime(2026, 12, 4, 18, tzinfo=UTC)
    one_day = plan.model_copy(update={"days": 1})
    with pytest.raises(InvalidFieldError) as passed:
        spread(one_day, 1, evening)
    assert passed.value.field == "first_day"
