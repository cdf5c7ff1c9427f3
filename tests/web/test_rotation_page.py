"""The rotation page (#/rotation, issue 17) in Chromium against the real app: a supervisor filters
the cards nobody contacted by company tag, selects rows, assigns them to an agent, plans
call-backs spread over the next days and downloads the CSV (all filtered rows, then the selected
one); an agent sees only their own cards and no owner filter. axe on the page; saves
docs/rotation.png."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.async_api import Locator, Page, expect
from sqlalchemy import select, update

from crm_core.models import AuditEntry, Contact, Note, Task
from crm_core.models.enums import Role
from crm_core.services import Services
from crm_core.services.dto import (
    Actor,
    CallRecord,
    CompanyCreate,
    ContactCreate,
    ContactOut,
    NoteCreate,
    PhoneIn,
    UserCreate,
    UserOut,
)
from tests.fixtures.browser import AGENT_PASSWORD, WEB_DB, SeededServer
from tests.web.axe import assert_accessible

pytestmark = [pytest.mark.browser, WEB_DB]
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "rotation.png"
SYSTEM = Actor.system()
BOSS, BOSS_PASSWORD = "sara", "sara-super-secret-1"


def ago(days: int) -> datetime:
    return datetime.now(UTC) - timedelta(days=days)


async def card(
    services: Services, first: str, last: str, owner: UserOut, days_old: int, **fields: object
) -> ContactOut:
    names = {"first_name": first, "last_name": last, "owner_id": owner.id}
    made = await services.contacts.create(SYSTEM, ContactCreate.model_validate(names | fields))
    async with services.sessions.begin() as session:
        await session.execute(
            update(Contact).where(Contact.id == made.id).values(created_at=ago(days_old))
        )
    return made


async def quiet_cards(server: SeededServer) -> tuple[UserOut, dict[str, ContactOut]]:
    """Bob (an agent) and four cards: three quiet (a call 60 days ago, never, a note 45 days ago),
    one noted two days ago."""
    services, anna = server.services, server.agent
    bob = await services.users.create(
        SYSTEM,
        UserCreate(
            login="bob", password=AGENT_PASSWORD, role=Role.AGENT, display_name="Bob Dlhý",
            extensions=["1002"],
        ),
    )  # fmt: skip
    boss = UserCreate(
        login=BOSS, password=BOSS_PASSWORD, role=Role.SUPERVISOR, display_name="Sára Vedúca"
    )
    await services.users.create(SYSTEM, boss)
    vip = await services.companies.create(
        SYSTEM, CompanyCreate(name="Vienna Trade GmbH", tags=["VIP"])
    )
    cards = {
        "eva": await card(services, "Eva", "Malá", anna, 90, status="client", company_id=vip.id,
                          phones=[PhoneIn(number="+421 903 111 222")]),
        "oto": await card(services, "Oto", "Krátky", bob, 50, status="client"),
        "ivan": await card(services, "Ivan", "Veľký", bob, 70, company_id=vip.id),
        "zora": await card(services, "Zora", "Nová", anna, 100, status="client"),
    }  # fmt: skip
    await services.calls.register(
        SYSTEM,
        CallRecord(
            linkedid="rot-1", direction="inbound", caller="+421903111222", callee="700",
            started_at=ago(60), answered_at=ago(60), disposition="answered", talk_seconds=80,
        ),
    )  # fmt: skip
    for who, days in (("ivan", 45), ("zora", 2)):
        note = await services.notes.add(SYSTEM, cards[who].id, NoteCreate(body="Asked for a visit"))
        async with services.sessions.begin() as session:
            await session.execute(
                update(Note).where(Note.id == note.id).values(created_at=ago(days))
            )
    return bob, cards


async def sign_in(page: Page, url: str, login: str, password: str) -> None:
    await page.goto(url)
    await page.get_by_label("Login").fill(login)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_test_id("current-user")).to_be_visible()


def row_of(page: Page, contact: ContactOut) -> Locator:
    return page.locator(f'[data-testid="rotation-row"][data-contact-id="{contact.id}"]')


async def ids_on(page: Page) -> list[int]:
    rows = page.get_by_test_id("rotation-row")
    return [
        int(await rows.nth(i).get_attribute("data-contact-id") or 0)
        for i in range(await rows.count())
    ]


async def csv_names(page: Page) -> list[str]:
    """Click Download CSV; the names in the file the browser saved."""
    async with page.expect_download() as info:
        await page.get_by_test_id("rot-csv").click()
    saved = await (await info.value).path()
    text = await asyncio.to_thread(Path(str(saved)).read_text, encoding="utf-8-sig")
    return [row["name"] for row in csv.DictReader(io.StringIO(text))]


async def test_a_supervisor_filters_selects_assigns_plans_and_downloads(
    page: Page, seeded_server: SeededServer
) -> None:
    bob, cards = await quiet_cards(seeded_server)
    services = seeded_server.services
    await sign_in(page, seeded_server.url, BOSS, BOSS_PASSWORD)
    await page.locator(".nav-more > summary").click()  # staff: under the top bar's "More"
    await page.get_by_role("link", name="Rotation").click()
    await expect(page.get_by_test_id("rot-total")).to_have_text("3")
    assert await ids_on(page) == [cards["eva"].id, cards["oto"].id, cards["ivan"].id]
    eva = row_of(page, cards["eva"])
    await expect(eva.get_by_test_id("rot-last")).to_contain_text("Call in")
    await expect(eva.get_by_test_id("rot-days-since")).to_have_text("60")
    await expect(row_of(page, cards["oto"]).get_by_test_id("rot-last")).to_contain_text(
        "Never contacted"
    )

    filters = page.get_by_role("search", name="Rotation filters")
    await filters.get_by_label("Company tag").fill("VIP")
    await filters.get_by_role("button", name="Show").click()
    await expect(page.get_by_test_id("rot-total")).to_have_text("2")
    assert await ids_on(page) == [cards["eva"].id, cards["ivan"].id]
    await expect(row_of(page, cards["ivan"]).get_by_test_id("rot-last")).to_contain_text("Note")
    assert await csv_names(page) == ["Eva Malá", "Ivan Veľký"]

    await page.get_by_label("Select every row on this page").check()
    await expect(page.get_by_test_id("rot-selected")).to_have_text("2 cards selected")
    assign = page.get_by_role("form", name="Assign the selected cards")
    await assign.get_by_label("Assign to").select_option(label="Bob Dlhý")
    await assign.get_by_role("button", name="Assign").click()
    await expect(page.get_by_test_id("rot-outcome")).to_have_text(
        "Assigned 1 card to Bob Dlhý (1 already theirs)."
    )
    await expect(row_of(page, cards["eva"]).get_by_test_id("rot-owner")).to_have_text("Bob Dlhý")
    assert (await services.contacts.get(cards["eva"].id)).owner.id == bob.id  # type: ignore[union-attr]
    async with services.sessions() as session:
        audited = (await session.scalars(select(AuditEntry).where(
            AuditEntry.table_name == "contacts", AuditEntry.record_id == cards["eva"].id,
            AuditEntry.action == "update"))).one()  # fmt: skip
    assert (audited.actor_login, audited.changes["owner_id"]) == (
        BOSS,
        [seeded_server.agent.id, bob.id],
    )

    await row_of(page, cards["eva"]).get_by_role("checkbox").check()
    await row_of(page, cards["ivan"]).get_by_role("checkbox").check()
    plan = page.get_by_role("form", name="Plan call-backs for the selected cards")
    await plan.get_by_label("Call-back subject").fill("Rotation: a new offer")
    await plan.get_by_label("Over (working days)").fill("2")
    await plan.get_by_role("button", name="Plan call-backs").click()
    await expect(page.get_by_test_id("rot-outcome")).to_contain_text("Planned 2 call-backs from")
    async with services.sessions() as session:
        planned = list(
            await session.scalars(
                select(Task).where(Task.subject == "Rotation: a new offer").order_by(Task.due_at)
            )
        )
    assert [(t.contact_id, t.assignee_id, t.scheduled) for t in planned] == [
        (cards["eva"].id, bob.id, True), (cards["ivan"].id, bob.id, True),
    ]  # fmt: skip
    first, second = (task.due_at for task in planned)
    assert first is not None
    assert second is not None
    assert first.date() < second.date()  # spread over two days

    await row_of(page, cards["ivan"]).get_by_role("checkbox").check()
    await expect(page.get_by_test_id("rot-csv")).to_have_text("Download CSV (1 selected row)")
    await page.screenshot(path=str(SCREENSHOT), animations="disabled")
    assert await csv_names(page) == ["Ivan Veľký"]
    await assert_accessible(page, "the rotation page")


async def test_an_agent_sees_only_their_own_quiet_cards(
    page: Page, seeded_server: SeededServer
) -> None:
    _, cards = await quiet_cards(seeded_server)
    await sign_in(page, seeded_server.url, seeded_server.agent.login, seeded_server.password)
    await page.get_by_role("link", name="Rotation").click()
    await expect(page.get_by_test_id("rot-total")).to_have_text("1")
    assert await ids_on(page) == [cards["eva"].id]
    await expect(
        page.get_by_role("search", name="Rotation filters").get_by_label("Owner")
    ).to_have_count(0)
    await assert_accessible(page, "the agent's rotation page")
