"""The agent's screen while a real call goes on (issue 20), against the sandbox Asterisk.

A simulated caller (the carrier UA, real PCMU RTP) calls the `sales` queue; agent 1001's page in
Chromium is the phone (JsSIP over WSS, fake microphone). While it rings the agent collapses the
pop to its compact bar and answers from the bar (audio flows both ways); on the call the agent
searches another card and plans a call-back for another day, then hangs up from the bar,
expands the pop (Alt+C) and saves the wrap-up: the note is tied to the call, the call-back is on
the other card. A supervisor's wallboard shows the same person by the same name.

Saves, in docs/: call-collapsed-{1366,1920}.png and call-docked-{1366,1920}.png (the agent's
page, 1366x768 and 1920x1080), wallboard-{1366,1920,3840}.png (the wallboard, also 3840x2160).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, ViewportSize, expect

from crm_core.models.enums import ContactStatus, Role
from crm_core.services import Services
from crm_core.services.dto import Actor, CallFilter, ContactCreate, PhoneIn, UserUpdate
from cti.sandbox.manager import Sandbox
from cti.sandbox.sim.scenarios import CUSTOMER, CUSTOMER_NAME, SALES
from cti.sandbox.sim.world import open_world
from tests.e2e.softphone_pages import (
    SIMULATED,
    SYSTEM,
    agent_page,
    agents_and_client,
    phone_browser,
    softphone_bridge,
)
from tests.e2e.test_softphone_asterisk import caller_and_agent_talk
from tests.fixtures.bridge import RunningBridge
from tests.fixtures.browser import WEB_DB
from tests.fixtures.db import MakeUser

pytestmark = [pytest.mark.asterisk, pytest.mark.browser, WEB_DB]
__all__ = ["phone_browser", "softphone_bridge"]  # fixtures
DOCS = Path(__file__).resolve().parents[2] / "docs"
LAPTOP: ViewportSize = {"width": 1366, "height": 768}
DESKTOP: ViewportSize = {"width": 1920, "height": 1080}
TV: ViewportSize = {"width": 3840, "height": 2160}
ALICE = "Alice Nagy"


async def shot(page: Page, name: str, size: ViewportSize) -> None:
    await page.set_viewport_size(size)
    await page.wait_for_timeout(200)  # layout settles; the timer ticks on
    await page.screenshot(path=str(DOCS / f"{name}-{size['width']}.png"), animations="disabled")


@contextlib.asynccontextmanager
async def wallboard(browser: Browser, url: str, make_user: MakeUser) -> AsyncIterator[Page]:
    boss, password = await make_user(Role.SUPERVISOR)
    context = await browser.new_context(viewport=LAPTOP, locale="en-GB", timezone_id="UTC")
    page = await context.new_page()
    try:
        await page.goto(url)
        await page.get_by_label("Login").fill(boss.login)
        await page.get_by_label("Password").fill(password)
        await page.get_by_role("button", name="Sign in").click()
        await expect(page.get_by_role("navigation", name="Supervisor pages")).to_be_visible()
        await page.goto(f"{url}/#/wallboard")
        yield page
    finally:
        await context.close()


async def test_collapse_answer_work_elsewhere_then_wrap_up_on_a_real_call(
    phone_browser: Browser,
    services: Services,
    make_user: MakeUser,
    softphone_bridge: RunningBridge,
    sandbox: Sandbox,
) -> None:
    logins, contact_id = await agents_and_client(services, make_user)
    alice_user = await services.users.get_by_login(logins["1001"][0])
    assert alice_user is not None
    await services.users.update(SYSTEM, alice_user.id, UserUpdate(display_name=ALICE))
    other = await services.contacts.create(
        SYSTEM,
        ContactCreate(first_name="Mária", last_name="Veselá", status=ContactStatus.LEAD,
                      phones=[PhoneIn(number="+421 907 111 222")]),
    )  # fmt: skip
    url = softphone_bridge.url
    async with (
        agent_page(phone_browser, url, *logins["1001"]) as page,
        wallboard(phone_browser, url, make_user) as board,
        open_world(sandbox.settings, stub_agi=False, agents=SIMULATED) as world,
    ):
        await page.set_viewport_size(LAPTOP)
        await expect(page.get_by_test_id("phone-status")).to_contain_text("Phone ready")
        caller = await world.carrier.call(SALES, CUSTOMER, CUSTOMER_NAME)
        try:
            pop = page.get_by_test_id("pop")
            await expect(pop).to_have_attribute("data-phase", "ringing", timeout=20_000)
            await expect(pop.get_by_role("heading", level=3, name="Petr Novák")).to_be_visible()
            # Collapsed while it rings: the bar answers.
            await pop.get_by_role("button", name="Collapse the call with Petr Novák").click()
            await expect(pop.get_by_test_id("pop-compact-state")).to_have_text("Ringing")
            await expect(pop.get_by_test_id("pop-name")).to_have_text("Petr Novák")
            await pop.get_by_role("button", name="Answer").click()
            await expect(pop).to_have_attribute("data-phase", "talking", timeout=15_000)
            await expect(pop.get_by_test_id("pop-compact-state")).to_have_text("On call")
            await expect(pop.get_by_test_id("pop-timer")).to_have_text(re.compile(r"^\d\d:\d\d$"))
            await caller_and_agent_talk(page, caller)

            # Another card, and a call-back on another day, while the call goes on.
            await page.get_by_label("Find a contact").fill("Veselá")
            await page.get_by_role("link", name=re.compile("Mária Veselá")).click()
            await expect(page.get_by_role("heading", level=2, name="Mária Veselá")).to_be_visible()
            await page.get_by_role("button", name="Create call").click()
            form = page.get_by_role("form", name="Plan a call-back")
            later = (datetime.now() + timedelta(days=2)).date()
            await form.get_by_label("Date").fill(later.isoformat())
            await form.get_by_label("Time").fill("10:00")
            await form.get_by_label("Subject").fill("Offer for the new warehouse")
            await form.get_by_role("button", name="Plan the call").click()
            await expect(page.get_by_role("status").filter(has_text="planned")).to_be_visible()
            await expect(pop).to_have_attribute("data-collapsed", "true")
            for size in (LAPTOP, DESKTOP):
                await shot(page, "call-collapsed", size)

            await expect(board.get_by_test_id("wb-agent-1001")).to_contain_text(
                f"{ALICE} ext. 1001", timeout=20_000
            )
            await expect(board.get_by_test_id("wb-agent-1001")).to_contain_text("On a call")
            for size in (LAPTOP, DESKTOP, TV):
                await shot(board, "wallboard", size)

            await pop.get_by_role("button", name="Expand the call with Petr Novák").click()
            await expect(pop.get_by_role("heading", name="On call with Petr Novák")).to_be_visible()
            for size in (DESKTOP, LAPTOP):
                await shot(page, "call-docked", size)

            await page.keyboard.press("Alt+c")  # collapsed again, hung up from the bar
            await expect(pop).to_have_attribute("data-collapsed", "true")
            await pop.get_by_role("button", name="Hang up").click()
            await asyncio.wait_for(caller.ended.wait(), 15)
        finally:
            await world.carrier.hang_up(caller)
        await expect(pop).to_have_attribute("data-phase", "ended", timeout=20_000)
        await expect(pop.get_by_test_id("pop-compact-state")).to_have_text("Wrap-up")
        await page.keyboard.press("Alt+c")
        wrap_up = pop.get_by_role("form", name="Wrap-up")
        await expect(wrap_up).to_be_visible()
        await expect(pop.get_by_test_id("pop-outcome")).to_have_text("answered")
        await wrap_up.get_by_label("Result of the call").fill("Wants a quote for 300 m² of tiles.")
        await wrap_up.get_by_role("button", name="Save and close").click()
        await expect(pop).to_have_count(0)
        await world.wait_idle(20)

    await softphone_bridge.bridge.pipeline.drain()
    calls = (await services.calls.list(SYSTEM, CallFilter(contact_id=contact_id))).items
    assert [(c.disposition, c.answered_by) for c in calls] == [("answered", "1001")]
    notes = await services.notes.for_contact(contact_id)
    assert [(n.body, n.call_id) for n in notes] == [
        ("Wants a quote for 300 m² of tiles.", calls[0].id)
    ]
    alice = Actor(id=alice_user.id, login=alice_user.login, role=alice_user.role)
    planned = [c for c in await services.callbacks.mine(alice) if c.contact_id == other.id]
    assert [(c.subject, c.due_at.date() if c.due_at else None) for c in planned] == [
        ("Offer for the new warehouse", later)
    ]
