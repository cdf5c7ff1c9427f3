"""The browser phone against the real Asterisk, in headless Chromium with a fake microphone.

Agent 1001's page registers as 1001 over WSS (self-signed certificate: --ignore-certificate-
errors), agent 1002's page as 1002; the simulated phones register only the extensions no browser
uses (and not 1003, so the ring-all `sales` queue rings only the browsers). A simulated caller
(the carrier UA) calls `sales`; 1001's page rings with the caller's name and number and the
client's card (saved as docs/softphone.png); the test answers, consults 1002 (attended transfer,
"Talk first"), and while 1001 and 1002 talk, RTP packet counters rise both ways on both pages
(the carrier UA sends no RTP, so the two browsers are the honest two-way audio check); 1001
completes the transfer, the caller is now with 1002, who hangs up. The call record shows the
transfer to 1002.

Bad input: a wrong SIP password says so in plain words; a second tab registering the same
extension takes the phone (newest wins) and the first tab says so.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from playwright.async_api import Browser, BrowserContext, Page, async_playwright, expect

from crm_core.models.enums import ContactStatus, Role
from crm_core.services import Services
from crm_core.services.dto import Actor, CallFilter, CompanyCreate, ContactCreate, PhoneIn
from crm_core.settings import CrmSettings
from cti.sandbox.manager import ConnectionInfo
from cti.sandbox.settings import SandboxSettings
from cti.sandbox.sim.scenarios import CUSTOMER, CUSTOMER_NAME, SALES
from cti.sandbox.sim.world import AGENTS, open_world
from tests.fixtures.bridge import RunningBridge, bridge_settings, serve_bridge
from tests.fixtures.browser import CHROMIUM_ARGS, VIEWPORT, WEB_DB
from tests.fixtures.db import MakeUser

pytestmark = [pytest.mark.asterisk, pytest.mark.browser, WEB_DB]
SYSTEM = Actor.system()
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "softphone.png"
MEDIA_ARGS = [
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--ignore-certificate-errors",
    "--autoplay-policy=no-user-gesture-required",
]
BROWSER_EXTENSIONS = ("1001", "1002")
# Sales rings 1001-1003 at once: 1003 stays unregistered, so only the browsers ring.
SIMULATED = tuple(ext for ext in AGENTS if ext not in ("1001", "1002", "1003"))


@pytest_asyncio.fixture
async def phone_browser(chromium_path: str) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium_path, args=CHROMIUM_ARGS + MEDIA_ARGS, headless=True
        )
        yield browser
        await browser.close()


@pytest_asyncio.fixture
async def softphone_bridge(
    crm_settings: CrmSettings, services: Services, asterisk: ConnectionInfo
) -> AsyncIterator[RunningBridge]:
    settings = bridge_settings(
        asterisk, sip_passwords="*=sandbox-{ext}", sip_ws_servers="wss://127.0.0.1:8089/ws"
    )
    async with serve_bridge(crm_settings, settings, services) as running:
        yield running


@contextlib.asynccontextmanager
async def agent_page(browser: Browser, url: str, login: str, password: str) -> AsyncIterator[Page]:
    context: BrowserContext = await browser.new_context(
        viewport=VIEWPORT, locale="en-GB", timezone_id="UTC"
    )
    context.set_default_timeout(15_000)
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        await sign_in(page, url, login, password)
        yield page
    finally:
        await context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


async def sign_in(page: Page, url: str, login: str, password: str) -> None:
    await page.goto(url)
    await page.get_by_label("Login").fill(login)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_test_id("live-status")).to_have_text("Live")


async def rtp(page: Page) -> dict[str, int]:
    counters: dict[str, int] | None = await page.evaluate("window.__softphone.rtp()")
    assert counters is not None, "no call with media on the page"
    return counters


async def agents_and_client(services: Services, make_user: MakeUser) -> tuple[dict[str, Any], int]:
    logins: dict[str, Any] = {}
    for extension in BROWSER_EXTENSIONS:
        user, password = await make_user(Role.AGENT, extensions=[extension])
        logins[extension] = (user.login, password)
    company = await services.companies.create(SYSTEM, CompanyCreate(name="Novák Stavby s.r.o."))
    contact = await services.contacts.create(
        SYSTEM,
        ContactCreate(
            first_name="Petr", last_name="Novák", company_id=company.id, position="Site manager",
            status=ContactStatus.CLIENT,
            phones=[PhoneIn(number=CUSTOMER.replace("+420", "00420 "))],
        ),
    )  # fmt: skip
    return logins, contact.id


async def test_the_browser_rings_answers_talks_both_ways_and_transfers(
    phone_browser: Browser,
    services: Services,
    make_user: MakeUser,
    softphone_bridge: RunningBridge,
) -> None:
    logins, contact_id = await agents_and_client(services, make_user)
    url = softphone_bridge.url
    async with (
        agent_page(phone_browser, url, *logins["1001"]) as alice,
        agent_page(phone_browser, url, *logins["1002"]) as bob,
    ):
        for page in (alice, bob):
            await expect(page.get_by_test_id("phone-status")).to_contain_text("Phone ready")
        sandbox = SandboxSettings.from_env()
        async with open_world(sandbox, stub_agi=False, agents=SIMULATED) as world:
            caller = await world.carrier.call(SALES, CUSTOMER, CUSTOMER_NAME)
            try:
                await talk_and_transfer(alice, bob)
                # The caller is with 1002 now; 1002 hangs up.
                await asyncio.wait_for(caller.answered.wait(), 5)
                bob_call = bob.locator('[data-testid="phone-call"][data-state="talking"]')
                await bob_call.get_by_role("button", name="Hang up").click()
                await asyncio.wait_for(caller.ended.wait(), 15)
            finally:
                await world.carrier.hang_up(caller)
            await world.wait_idle(20)

    await softphone_bridge.bridge.pipeline.drain()
    calls = (await services.calls.list(SYSTEM, CallFilter(contact_id=contact_id))).items
    assert len(calls) == 1, calls
    assert calls[0].answered_by == "1001"
    assert [t["to"] for t in calls[0].transfers] == ["1002"], calls[0].transfers


async def talk_and_transfer(alice: Page, bob: Page) -> None:
    ringing = alice.get_by_test_id("phone-call").first
    await expect(ringing).to_have_attribute("data-state", "ringing", timeout=20_000)
    await expect(ringing.get_by_test_id("phone-caller-number")).to_contain_text("601000001")
    await expect(ringing.get_by_test_id("phone-caller-name")).to_have_text(CUSTOMER_NAME)
    pop = alice.get_by_test_id("pop")
    await expect(pop.get_by_role("heading", level=3, name="Petr Novák")).to_be_visible()
    await alice.screenshot(path=str(SCREENSHOT), animations="disabled")

    await ringing.get_by_role("button", name="Answer").click()
    await expect(ringing).to_have_attribute("data-state", "talking")
    await expect(pop.get_by_role("heading", name="On call with Petr Novák")).to_be_visible(
        timeout=15_000
    )
    # The queue rang 1002 too; answered elsewhere, it stops ringing there.
    await expect(bob.locator('[data-testid="phone-call"][data-state="ringing"]')).to_have_count(
        0, timeout=10_000
    )

    # Attended transfer: consult 1002 while the caller waits on hold.
    await ringing.get_by_role("button", name="Transfer").click()
    await ringing.get_by_label("Transfer to").fill("1002")
    await ringing.get_by_role("button", name="Talk first").click()
    await expect(ringing).to_have_attribute("data-held", "true")
    bob_call = bob.locator('[data-testid="phone-call"]:not([data-state="ended"])')
    await expect(bob_call).to_have_attribute("data-state", "ringing", timeout=15_000)
    await bob_call.get_by_role("button", name="Answer").click()
    consult = alice.get_by_test_id("phone-call").nth(1)
    await expect(consult).to_have_attribute("data-state", "talking")
    await expect(bob_call).to_have_attribute("data-state", "talking")

    # Two-way audio between the two browsers, through Asterisk.
    before = {"alice": await rtp(alice), "bob": await rtp(bob)}
    await asyncio.sleep(2)
    after = {"alice": await rtp(alice), "bob": await rtp(bob)}
    for who in ("alice", "bob"):
        assert after[who]["sent"] > before[who]["sent"] + 20, (who, before, after)
        assert after[who]["received"] > before[who]["received"] + 20, (who, before, after)

    await consult.get_by_role("button", name="Complete transfer").click()
    live_calls = alice.locator('[data-testid="phone-call"]:not([data-state="ended"])')
    await expect(live_calls).to_have_count(0, timeout=15_000)
    await expect(bob_call).to_have_attribute("data-state", "talking")


async def test_wrong_password_and_a_second_tab(
    phone_browser: Browser,
    services: Services,
    make_user: MakeUser,
    crm_settings: CrmSettings,
    asterisk: ConnectionInfo,
    softphone_bridge: RunningBridge,
) -> None:
    user, password = await make_user(Role.AGENT, extensions=["1001"])
    # A second tab of the same agent: the newest registration takes the phone.
    async with agent_page(phone_browser, softphone_bridge.url, user.login, password) as first:
        await expect(first.get_by_test_id("phone-status")).to_contain_text("Phone ready")
        second = await first.context.new_page()
        await sign_in(second, softphone_bridge.url, user.login, password)
        await expect(second.get_by_test_id("phone-status")).to_contain_text("Phone ready")
        problem = first.get_by_test_id("phone-problem")
        await expect(problem).to_have_attribute("data-kind", "replaced")
        await expect(problem).to_contain_text("registered in another tab")
        # Taking it back works the other way round.
        await problem.get_by_role("button", name="Use the phone here").click()
        await expect(first.get_by_test_id("phone-status")).to_contain_text("Phone ready")
        second_problem = second.get_by_test_id("phone-problem")
        await expect(second_problem).to_have_attribute("data-kind", "replaced")

    wrong = bridge_settings(
        asterisk, sip_passwords="1001=not-the-password", sip_ws_servers="wss://127.0.0.1:8089/ws"
    )
    async with (
        serve_bridge(crm_settings, wrong, services) as bad,
        agent_page(phone_browser, bad.url, user.login, password) as page,
    ):
        problem = page.get_by_test_id("phone-problem")
        await expect(problem).to_have_attribute("data-kind", "password")
        await expect(problem).to_contain_text("refused your extension's password")
        await expect(page.get_by_test_id("phone-status")).to_contain_text("Wrong SIP password")
