"""Shared by the browser-phone tests against the sandbox Asterisk (test_softphone_*.py).

Chromium runs with a fake microphone (a beep) and accepts Asterisk's self-signed certificate.
Agents 1001 and 1002 are browsers; the simulated phones register only the extensions no browser
uses, and not 1003, so the ring-all `sales` queue rings only the browsers.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest_asyncio
from playwright.async_api import Browser, BrowserContext, Page, async_playwright, expect

from crm_core.models.enums import ContactStatus, Role
from crm_core.services import Services
from crm_core.services.dto import Actor, CompanyCreate, ContactCreate, PhoneIn
from crm_core.settings import CrmSettings
from cti.sandbox.manager import ConnectionInfo
from cti.sandbox.sim.scenarios import CUSTOMER
from cti.sandbox.sim.world import AGENTS
from tests.fixtures.bridge import RunningBridge, bridge_settings, serve_bridge
from tests.fixtures.browser import CHROMIUM_ARGS, VIEWPORT
from tests.fixtures.db import MakeUser

SYSTEM = Actor.system()
MEDIA_ARGS = [
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--ignore-certificate-errors",
    "--autoplay-policy=no-user-gesture-required",
]
BROWSER_EXTENSIONS = ("1001", "1002")
SIMULATED = tuple(ext for ext in AGENTS if ext not in ("1001", "1002", "1003"))
WSS = "wss://127.0.0.1:8089/ws"


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
    settings = bridge_settings(asterisk, sip_passwords="*=sandbox-{ext}", sip_ws_servers=WSS)
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
    """getStats of the page's newest live call: audio packets received and sent."""
    counters: dict[str, int] | None = await page.evaluate("window.__softphone.rtp()")
    assert counters is not None, "no call with media on the page"
    return counters


async def assert_rising(what: str, read: Callable[[], Awaitable[dict[str, int]]]) -> None:
    """Every counter rises by more than 20 packets (a second of 20 ms packets) within 2 s."""
    before = await read()
    await asyncio.sleep(2)
    after = await read()
    for key in before:
        assert after[key] > before[key] + 20, (what, key, before, after)


async def agents_and_client(services: Services, make_user: MakeUser) -> tuple[dict[str, Any], int]:
    """Browser agents 1001 and 1002 ({ext: (login, password)}) and the caller's client card."""
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
