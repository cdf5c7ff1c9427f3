"""The admins' wrap-up codes page (#/wrapup-codes, issue 17) in Chromium against the bridge's app.

An admin adds codes per queue and global ones (a malformed code and a code taken in its queue
are refused, the server's reason beside the field), renames one (an empty label refused by the
field), sets a call-back rule, switches a queue's "required" rule, switches a code off and
deletes another; the codes the agent's wrap-up is offered change with it, and every change is in
the audit trail. The same page in Slovak shows the server's reasons in Slovak. An agent gets no
link and a refusal. axe on each; saves docs/wrapup-admin.png.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Locator, Page, expect
from sqlalchemy import select

from crm_core.models import AuditEntry
from crm_core.models.enums import Role
from crm_core.services.dto import Actor, UserCreate
from crm_core.services.dto.wrapup import WrapupCodeCreate
from tests.fixtures.browser import WEB_DB, BridgeServer, page_in
from tests.web.axe import assert_accessible
from tests.web.test_languages_page import foreign_texts

pytestmark = [pytest.mark.browser, WEB_DB]
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "wrapup-admin.png"
SYSTEM = Actor.system("test")
PASSWORD = "wrapup-admin-secret-1"


@pytest_asyncio.fixture
async def slovak_page(browser: Browser) -> AsyncIterator[Page]:
    async with page_in(browser, "sk-SK") as slovak:
        yield slovak


async def an_admin(server: BridgeServer, login: str = "ada") -> None:
    data = UserCreate(login=login, password=PASSWORD, role=Role.ADMIN, display_name="Ada Admin")
    await server.services.users.create(SYSTEM, data)


async def sign_in(page: Page, url: str, login: str, password: str, words: tuple[str, ...]) -> None:
    await page.goto(url)
    await page.get_by_label(words[0]).fill(login)
    await page.get_by_label(words[1]).fill(password)
    await page.get_by_role("button", name=words[2]).click()
    await expect(page.get_by_test_id("current-user")).to_be_visible()


ENGLISH = ("Login", "Password", "Sign in")
SLOVAK = ("Prihlasovacie meno", "Heslo", "Prihlásiť sa")


def group(page: Page, queue: str) -> Locator:
    return page.locator(f'[data-testid=wrapup-group][data-queue="{queue}"]')


def code_row(page: Page, code: str) -> Locator:
    return page.locator(f'[data-testid=wrapup-code][data-code="{code}"]')


async def add(
    page: Page, code: str, label: str, queue: str = "", hours: str = "", ok: bool = True
) -> None:
    form = page.locator("form.wrapup-form")
    await form.get_by_label("Code", exact=True).fill(code)
    await form.get_by_label("Label", exact=True).fill(label)
    offered_for = form.get_by_label("Offered for")
    await (offered_for.select_option(queue) if queue else offered_for.select_option(index=0))
    await form.get_by_label("Plans a call-back after (hours)").fill(hours)
    await form.get_by_role("button", name="Add code").click()
    if ok:
        await expect(page.get_by_test_id("wrapup-status")).to_have_text(f"Code {code} added.")
    else:
        await expect(form.get_by_role("alert")).to_be_visible()


async def test_an_admin_keeps_the_codes_per_queue(page: Page, bridge_server: BridgeServer) -> None:
    services = bridge_server.services
    await an_admin(bridge_server)
    # a queue the PBX does not report now, named by a code made through the API
    complaint = WrapupCodeCreate(code="complaint", label="Complaint", queue="support")
    await services.wrapup_codes.create(SYSTEM, complaint)
    await sign_in(page, bridge_server.url, "ada", PASSWORD, ENGLISH)
    await page.locator(".nav-more > summary").click()  # the top bar's "More" menu
    await page.get_by_role("link", name="Wrap-up codes").click()
    await expect(page.get_by_role("heading", name="Wrap-up codes", level=2)).to_be_visible()
    await expect(group(page, "").get_by_text("No global codes yet.")).to_be_visible()
    await expect(group(page, "sales")).to_be_visible()  # a queue the PBX has, no codes yet

    form = page.locator("form.wrapup-form")
    await add(page, "Sale!", "Sale", "sales", ok=False)
    await expect(form.locator("[data-error-for=code]")).to_have_text(
        "This value does not have the expected form."
    )
    await expect(form.get_by_label("Code", exact=True)).to_have_attribute("aria-invalid", "true")
    await add(page, "sale", "Sale", "sales")
    await expect(code_row(page, "sale")).to_be_visible()
    await expect(group(page, "sales").get_by_test_id("wrapup-code")).to_have_count(1)
    # the server's own check: a code once per queue
    await add(page, "sale", "Sale again", "sales", ok=False)
    await expect(form.locator("[data-error-for=code]")).to_have_text(
        "The code sale already exists in queue sales."
    )
    await add(page, "information", "Information")
    await add(page, "call-back-later", "Call back later", hours="24")
    await add(page, "wrong-number", "Wrong number")
    await expect(group(page, "").get_by_test_id("wrapup-code")).to_have_count(3)
    await expect(group(page, "support").get_by_test_id("wrapup-code")).to_have_count(1)
    await expect(code_row(page, "complaint").get_by_label("Label of complaint")).to_have_value(
        "Complaint"
    )
    later = code_row(page, "call-back-later")
    hours = later.get_by_label("Call-back after hours for call-back-later")
    await expect(hours).to_have_value("24")

    sale = group(page, "sales").locator('[data-testid=wrapup-code][data-code="sale"]')
    await sale.get_by_label("Label of sale").fill("   ")
    await sale.get_by_role("button", name="Save sale").click()
    await expect(sale.locator("[data-error-for=label]")).to_have_text(
        "Please enter at least 1 character."
    )
    await expect(sale.get_by_label("Label of sale")).to_have_attribute("aria-invalid", "true")
    await sale.get_by_label("Label of sale").fill("Sold")
    await sale.get_by_label("Call-back after hours for sale").fill("721")
    await sale.get_by_role("button", name="Save sale").click()
    await expect(sale.locator("[data-error-for=plans_callback_in_hours]")).to_have_text(
        "Please enter 720 or less."
    )
    await sale.get_by_label("Call-back after hours for sale").fill("0")
    await sale.get_by_role("button", name="Save sale").click()
    await expect(page.get_by_test_id("wrapup-status")).to_have_text("Code sale saved.")
    await expect(sale.get_by_label("Label of sale")).to_have_value("Sold")

    required = group(page, "sales").get_by_label("A code is required before the wrap-up closes")
    await required.check()
    await expect(page.get_by_test_id("wrapup-status")).to_have_text(
        "Calls of queue sales now need a code before the wrap-up closes."
    )
    await code_row(page, "wrong-number").get_by_label("Offer wrong-number").uncheck()
    await expect(code_row(page, "wrong-number")).to_have_attribute("data-enabled", "false")
    await code_row(page, "information").get_by_role("button", name="Delete information").click()
    await expect(code_row(page, "information")).to_have_count(0)
    await expect(page.get_by_test_id("wrapup-status")).to_have_text(
        "Code information deleted. Calls keep it."
    )

    offered = await services.wrapup_codes.choices(SYSTEM, "sales")
    assert offered.code_required is True
    assert [(c.code, c.label) for c in offered.codes] == [
        ("sale", "Sold"), ("call-back-later", "Call back later"),
    ]  # fmt: skip
    assert offered.codes[1].plans_callback_in_hours == 24
    async with services.sessions() as session:
        entries = (await session.scalars(
            select(AuditEntry)
            .where(AuditEntry.table_name.in_(["wrapup_codes", "wrapup_queue_rules"]))
            .where(AuditEntry.actor_login == "ada")
            .order_by(AuditEntry.id)
        )).all()  # fmt: skip
    assert [(e.action, e.table_name) for e in entries] == [
        *[("create", "wrapup_codes")] * 4,
        ("update", "wrapup_codes"),
        ("update", "wrapup_queue_rules"),
        ("update", "wrapup_codes"),
        ("delete", "wrapup_codes"),
    ]
    assert entries[4].changes["label"] == ["Sale", "Sold"]

    await page.reload()
    await expect(group(page, "sales").get_by_label(
        "A code is required before the wrap-up closes"
    )).to_be_checked()  # fmt: skip
    await page.screenshot(path=str(SCREENSHOT), animations="disabled", full_page=True)
    await assert_accessible(page, "wrap-up codes (admin)")


async def test_the_slovak_page_gives_the_servers_reasons_in_slovak(
    slovak_page: Page, bridge_server: BridgeServer
) -> None:
    page = slovak_page
    await an_admin(bridge_server, "adam")
    await bridge_server.services.wrapup_codes.create(
        SYSTEM, WrapupCodeCreate(code="predaj", label="Predaj", queue="sales")
    )
    await sign_in(page, bridge_server.url, "adam", PASSWORD, SLOVAK)
    await page.locator(".nav-more > summary").click()
    await page.get_by_role("link", name="Kódy ukončenia").click()
    await expect(page.get_by_role("heading", name="Kódy ukončenia hovoru", level=2)).to_be_visible()
    form = page.locator("form.wrapup-form")
    await form.get_by_label("Kód", exact=True).fill("predaj")
    await form.get_by_label("Názov", exact=True).fill("Predaj znova")
    await form.get_by_label("Ponúka sa pre").select_option("sales")
    await form.get_by_label("Naplánuje spätné volanie o (hodiny)").fill("999")
    await form.get_by_role("button", name="Pridať kód").click()
    await expect(form.locator("[data-error-for=plans_callback_in_hours]")).to_have_text(
        "Zadajte 720 alebo menej."
    )
    await expect(form.get_by_role("alert")).to_have_text("Opravte zvýraznené polia.")
    await form.get_by_label("Naplánuje spätné volanie o (hodiny)").fill("")
    await form.get_by_role("button", name="Pridať kód").click()
    await expect(form.locator("[data-error-for=code]")).to_have_text(
        "Kód predaj už vo fronte sales existuje."
    )
    row = code_row(page, "predaj")
    # past the field's maxlength, as a script (or an old browser) could send it
    await row.get_by_label("Názov kódu predaj").evaluate("(el, v) => { el.value = v }", "x" * 101)
    await row.get_by_role("button", name="Uložiť predaj").click()
    await expect(row.locator("[data-error-for=label]")).to_have_text("Zadajte najviac 100 znakov.")

    shown = await page.locator("body").inner_text()
    assert not [text for text in foreign_texts("sk") if text in shown]
    await assert_accessible(page, "wrap-up codes (admin, Slovak)")


async def test_an_agent_gets_no_link_and_a_refusal(page: Page, bridge_server: BridgeServer) -> None:
    await sign_in(page, bridge_server.url, bridge_server.agent.login, bridge_server.password,
                  ENGLISH)  # fmt: skip
    await expect(page.get_by_role("link", name="Call-backs")).to_be_visible()
    await expect(page.get_by_role("link", name="Wrap-up codes")).to_have_count(0)
    await page.goto(f"{bridge_server.url}/#/wrapup-codes")
    await expect(page.get_by_role("alert")).to_have_text("This page is for admins.")
    await assert_accessible(page, "wrap-up codes refused (agent)")
