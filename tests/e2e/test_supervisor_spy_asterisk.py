"""Listen / whisper / barge from the supervisor's page against the sandbox: a client talks to
agent 1001 (sales queue); the supervisor, signed in in Chromium with extension 1009, presses
Listen on 1001's row; Asterisk rings 1009 (the project's SIP UA answers) into ChanSpy, the page
says so, and the audit log has it. A supervisor without an extension, or whose phone is offline,
is told why instead."""

from __future__ import annotations

import asyncio
import re

import pytest
from playwright.async_api import Browser, Page, expect

from crm_core.models.enums import Role
from crm_core.services import Services
from crm_core.services.dto import Actor, PageParams
from cti.sandbox.settings import SandboxSettings
from cti.sandbox.sim.scenarios import CUSTOMER, CUSTOMER_NAME, SALES, talk
from cti.sandbox.sim.world import World, open_world
from cti.sandbox.sip.calls import NO_ANSWER
from tests.fixtures.bridge import RunningBridge, wait_until
from tests.fixtures.browser import VIEWPORT, WEB_DB
from tests.fixtures.db import TEST_PASSWORD, MakeUser

pytestmark = [pytest.mark.asterisk, pytest.mark.browser, WEB_DB]


async def supervisor_page(browser: Browser, bridge: RunningBridge, login: str) -> Page:
    context = await browser.new_context(viewport=VIEWPORT, locale="en-GB", timezone_id="UTC")
    context.set_default_timeout(10_000)
    page = await context.new_page()
    await page.goto(bridge.url)
    await page.get_by_label("Login").fill(login)
    await page.get_by_label("Password").fill(TEST_PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("navigation", name="Supervisor pages")).to_be_visible()
    await page.goto(f"{bridge.url}/#/supervisor")
    await expect(page.get_by_test_id("supervisor-live")).to_have_text("Live")
    return page


async def spy_channels(world: World) -> list[str]:
    channels = await world.ami.listing("CoreShowChannels")
    return [c["Channel"] for c in channels if c.get("Application") == "ChanSpy"]


async def press(page: Page, mode: str, agent: str = "1001") -> None:
    row = page.get_by_test_id("agent-table").locator(f'tr[data-row="{agent}"]')
    await row.get_by_role("button", name=re.compile(f"^{mode}:")).click(timeout=20_000)


async def test_supervisor_listens_from_the_page_and_asterisk_rings_their_phone(
    browser: Browser, running_bridge: RunningBridge, services: Services, make_user: MakeUser
) -> None:
    boss, _ = await make_user(Role.SUPERVISOR, extensions=["1009"])
    phoneless, _ = await make_user(Role.SUPERVISOR)
    offline, _ = await make_user(Role.SUPERVISOR, extensions=["1011"])  # not registered
    async with open_world(SandboxSettings.from_env(), stub_agi=False) as world:
        await world.wait_idle()
        world.phones.plans.update({"1001": talk(25, 1), "1002": NO_ANSWER, "1003": NO_ANSWER,
                                   "1009": talk(4, 1)})  # fmt: skip
        pages = [await supervisor_page(browser, running_bridge, u.login)
                 for u in (boss, phoneless, offline)]  # fmt: skip
        call = await world.carrier.call(SALES, CUSTOMER, CUSTOMER_NAME)
        try:
            await wait_until(call.answered.is_set, 20, "1001 answering the client")
            await press(pages[0], "Listen")
            status = pages[0].get_by_test_id("spy-status")
            await expect(status).to_contain_text("Listening to")
            await expect(status).to_contain_text("your phone 1009 rings")
            await expect(status).to_have_attribute("data-level", "ok")
            for _ in range(50):
                if await spy_channels(world):
                    break
                await asyncio.sleep(0.2)
            assert [c.split("-")[0] for c in await spy_channels(world)] == ["PJSIP/1009"]
            assert [d.answered.is_set() for d in world.phones.calls_of("1009")] == [True]

            await press(pages[1], "Whisper")
            refused = pages[1].get_by_test_id("spy-status")
            await expect(refused).to_have_attribute("data-level", "error")
            await expect(refused).to_contain_text("Could not whisper to")
            await expect(refused).to_contain_text("no phone extension")
            await press(pages[2], "Barge")
            offline_status = pages[2].get_by_test_id("spy-status")
            await expect(offline_status).to_contain_text("phone (extension 1011) is offline")
        finally:
            await world.carrier.hang_up(call)
            await world.wait_idle(timeout=30)
            for page in pages:
                await page.context.close()
    audit = await services.audit.list(Actor.system(), PageParams(), table_name="calls")
    spies = [(e.actor_login, e.changes["mode"], e.changes["agent"], e.changes["from"])
             for e in audit.items if e.action == "spy"]  # fmt: skip
    assert spies == [(boss.login, "listen", "1001", "1009")]
