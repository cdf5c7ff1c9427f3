"""Wrap-up codes in a real browser (issue 17): the agent's wrap-up offers the queue's codes, a
queue that requires one does not close without it (a clear message), the picked code lands on
the call and on the card's history, the code's rule plans a call-back, and the supervisor's
reports page counts it (chart, table, CSV). axe on the wrap-up and on the report; screenshots
docs/wrapup-codes.png and docs/wrapup-codes-report.png."""

from __future__ import annotations

import asyncio
import csv
import io
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from crm_core.models.enums import Role
from crm_core.services.dto import Actor, CallFilter, UserCreate
from crm_core.services.dto.wrapup import QueueRuleSet, WrapupCodeCreate
from tests.fixtures.browser import VIEWPORT, WEB_DB, BridgeServer
from tests.web.axe import assert_accessible
from tests.web.test_screenpop_page import Phone, new_call, pop_of, sign_in

pytestmark = [pytest.mark.browser, WEB_DB]
SYSTEM = Actor.system()
DOCS = Path(__file__).resolve().parents[2] / "docs"
CODES = [
    WrapupCodeCreate(code="sale", label="Sale", queue="sales"),
    WrapupCodeCreate(code="complaint", label="Complaint", queue="support"),
    WrapupCodeCreate(code="information", label="Information"),
    WrapupCodeCreate(code="wrong-number", label="Wrong number"),
    WrapupCodeCreate(code="call-back-later", label="Call back later", plans_callback_in_hours=24),
]


async def define_codes(server: BridgeServer) -> None:
    for code in CODES:
        await server.services.wrapup_codes.create(SYSTEM, code)
    await server.services.wrapup_codes.set_queue_rule(
        SYSTEM, "sales", QueueRuleSet(code_required=True)
    )


async def a_finished_call(page: Page, server: BridgeServer) -> Phone:
    phone = Phone(server, new_call())
    await phone.ring("1001")
    await expect(pop_of(page, phone.call)).to_have_attribute("data-phase", "ringing")
    await phone.answer("1001")
    await expect(pop_of(page, phone.call)).to_have_attribute("data-phase", "talking")
    await phone.end(talk=95)
    await expect(pop_of(page, phone.call)).to_have_attribute("data-phase", "ended")
    return phone


async def test_the_agent_picks_a_code_the_card_shows_it_and_the_report_counts_it(
    page: Page, browser: Browser, bridge_server: BridgeServer
) -> None:
    await define_codes(bridge_server)
    await sign_in(page, bridge_server.url, bridge_server)
    jana = bridge_server.contacts["jana"]
    phone = await a_finished_call(page, bridge_server)
    pop = pop_of(page, phone.call)
    wrap_up = pop.get_by_role("form", name="Wrap-up")
    picker = wrap_up.get_by_label("Wrap-up code")
    await expect(picker).to_be_visible()
    await expect(wrap_up.get_by_text("(required)")).to_be_visible()
    offered = await picker.locator("option").all_inner_texts()
    assert offered == [
        "Pick a code…",
        "Sale",
        "Call back later (call-back in 24 h)",
        "Information",
        "Wrong number",
    ]  # the queue's first, then the global ones; support's "Complaint" is not offered

    # A required code missing: neither closing nor saving closes the wrap-up.
    await wrap_up.get_by_role("button", name="Close without saving").click()
    message = "Pick a wrap-up code: Calls of queue sales cannot close without one."
    await expect(wrap_up.get_by_role("alert").first).to_contain_text(message)
    await expect(pop).to_be_visible()
    await wrap_up.get_by_label("Result of the call").fill("Ordered 40 pallets for May.")
    await wrap_up.get_by_role("button", name="Save and close").click()
    await expect(wrap_up.get_by_role("alert").first).to_contain_text(message)
    await expect(wrap_up.locator('[data-field="wrapup_code"] .field-error')).to_have_text(
        "Pick a wrap-up code."
    )
    await expect(pop).to_be_visible()

    await picker.select_option("sale")
    await assert_accessible(page, "wrap-up with codes")
    await expect(wrap_up.locator('[data-field="wrapup_code"] .field-error')).to_be_hidden()
    await pop.locator(".pop-body").evaluate("b => { b.scrollTop = 0; b.scrollLeft = 0; }")
    await page.locator("body").click(position={"x": 600, "y": 700})  # the focus ring off
    await page.screenshot(path=str(DOCS / "wrapup-codes.png"), animations="disabled")
    await wrap_up.get_by_role("button", name="Save and close").click()
    await expect(page.get_by_role("status").filter(has_text="Wrap-up saved")).to_contain_text(
        "code Sale and note on Jana Nováková's card"
    )
    await expect(pop).to_have_count(0)

    services = bridge_server.services
    calls = (await services.calls.list(SYSTEM, CallFilter(contact_id=jana.id))).items
    call = next(c for c in calls if c.linkedid == phone.call.linkedid)
    assert (call.wrapup_code, call.wrapup_label, call.disposition) == ("sale", "Sale", "answered")
    notes = await services.notes.for_contact(jana.id)
    assert any(n.body == "Ordered 40 pallets for May." and n.call_id == call.id for n in notes)

    # The card's history shows the code.
    await page.goto(f"{bridge_server.url}/#/contacts/{jana.id}")
    await expect(page.get_by_role("heading", level=2, name="Jana Nováková")).to_be_visible()
    await expect(page.get_by_test_id("wrapup-tag").first).to_have_text("Sale")

    # "Call back later" plans a call-back by itself.
    second = await a_finished_call(page, bridge_server)
    form = pop_of(page, second.call).get_by_role("form", name="Wrap-up")
    await form.get_by_label("Wrap-up code").select_option("call-back-later")
    await form.get_by_role("button", name="Save and close").click()
    await expect(page.get_by_role("status").filter(has_text="Wrap-up saved")).to_contain_text(
        "code Call back later and call-back"
    )
    callbacks = await services.callbacks.mine(
        Actor(id=bridge_server.agent.id, login="a", role=Role.AGENT)
    )
    assert any("Call back later" in c.subject for c in callbacks)

    # The supervisor's reports count both codes for the agent.
    await services.users.create(
        SYSTEM,
        UserCreate(login="sofia", password="sofia-password-1", role=Role.SUPERVISOR),
    )
    context = await browser.new_context(viewport=VIEWPORT, locale="en-GB", timezone_id="UTC")
    boss = await context.new_page()
    try:
        await boss.goto(bridge_server.url)
        await boss.get_by_label("Login").fill("sofia")
        await boss.get_by_label("Password").fill("sofia-password-1")
        await boss.get_by_role("button", name="Sign in").click()
        await expect(boss.get_by_role("navigation", name="Supervisor pages")).to_be_visible()
        await boss.goto(f"{bridge_server.url}/#/reports")
        section = boss.get_by_test_id("wrapup-report")
        await expect(section).to_be_visible()
        agent_row = section.get_by_test_id("wrapup-agent").locator(
            f'tr[data-row="{bridge_server.agent.id}"]'
        )
        await expect(agent_row.locator('td[data-col="code:sale"]')).to_have_text("1")
        await expect(agent_row.locator('td[data-col="code:call-back-later"]')).to_have_text("1")
        queue_row = section.get_by_test_id("wrapup-queue").locator('tr[data-row="sales"]')
        await expect(queue_row.locator('td[data-col="coded"]')).to_have_text("2")
        chart = section.get_by_test_id("chart-wrapup-agents")
        await expect(chart.locator("svg rect.c-code-0").first).to_be_visible()
        await expect(chart.get_by_text("Sale", exact=True)).to_be_visible()
        await expect(
            section.get_by_test_id("chart-wrapup-time").locator("svg rect.c-code-1")
        ).not_to_have_count(0)
        await assert_accessible(boss, "reports with wrap-up codes")
        await section.screenshot(path=str(DOCS / "wrapup-codes-report.png"), animations="disabled")
        async with boss.expect_download() as info:
            await section.get_by_test_id("csv-wrapup-agent").click()
        download = await info.value
        text = await asyncio.to_thread(Path(await download.path()).read_text, encoding="utf-8")
        rows = {row["key"]: row for row in csv.DictReader(io.StringIO(text))}
        assert rows[str(bridge_server.agent.id)]["Sale"] == "1"
        assert rows["total"]["coded"] == "2"
    finally:
        await context.close()
