"""The admins' dead-letter page (#/dead-letters, issue 18) in Chromium against the bridge's app.

Dead letters made for real: a subscription to a real HTTP receiver that refuses (503), the
webhook sender (in the test's loop, fast retries, 2 tries) giving up on two contact.created
events. The page lists them; the receiver comes back; Replay sends one, Replay all the other,
and the page follows each to "Delivered" and ends on its empty state. An agent gets no link and
a refusal.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Page, expect

from bench.common.webhook_receiver import Receiver
from crm_core.models.enums import Role
from crm_core.services import Services
from crm_core.services.dto import Actor, ContactCreate, PhoneIn, UserCreate
from cti.ami.metrics import Counters
from cti.webhooks.sender import WebhookSender
from tests.fixtures.browser import WEB_DB, BridgeServer
from tests.web.axe import assert_accessible
from tests.webhooks.conftest import SECRET, fast_settings, subscribe

pytestmark = [pytest.mark.browser, WEB_DB]

DOCS = Path(__file__).resolve().parents[2] / "docs"
SCREENSHOT = DOCS / "webhooks-dead-letters.png"
ADMIN, ADMIN_PASSWORD = "ada", "ada-admin-secret-1"
SYSTEM = Actor.system()


@pytest_asyncio.fixture
async def refusing_receiver() -> AsyncIterator[Receiver]:
    receiver = Receiver(SECRET, refuse=True)
    await receiver.start()
    yield receiver
    await receiver.stop()


@pytest_asyncio.fixture
async def sender(bridge_server: BridgeServer) -> AsyncIterator[WebhookSender]:
    settings = fast_settings(max_attempts=2)
    running = WebhookSender(bridge_server.services.webhook_deliveries, settings, Counters())
    yield running
    await running.stop()


async def two_dead_letters(services: Services, receiver: Receiver, sender: WebhookSender) -> None:
    while await services.webhook_deliveries.dispatch():  # the seeded cards: to nobody
        pass
    await subscribe(services, receiver.url, ["contact.created"])
    for first, last, number in (
        ("Eva", "Malá", "+421 903 111 222"),
        ("Ivan", "Dlhý", "+421 904 333 444"),
    ):
        await services.contacts.create(
            SYSTEM, ContactCreate(first_name=first, last_name=last, phones=[PhoneIn(number=number)])
        )
    sender.start()

    for _ in range(400):  # up to 20 s
        if len(await services.webhooks.dead_letters(SYSTEM)) == 2:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the two refused events did not become dead letters")


async def sign_in(page: Page, url: str, login: str, password: str) -> None:
    await page.goto(url)
    await page.get_by_label("Login").fill(login)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_test_id("current-user")).to_be_visible()


async def test_dead_letters_are_listed_replayed_and_gone(
    page: Page, bridge_server: BridgeServer, refusing_receiver: Receiver, sender: WebhookSender
) -> None:
    services = bridge_server.services
    await services.users.create(
        SYSTEM,
        UserCreate(login=ADMIN, password=ADMIN_PASSWORD, role=Role.ADMIN, display_name="Ada"),
    )
    await two_dead_letters(services, refusing_receiver, sender)
    await sign_in(page, bridge_server.url, ADMIN, ADMIN_PASSWORD)
    await page.locator(".nav-more > summary").click()  # the top bar's "More" menu
    await page.get_by_role("link", name="Dead letters").click()
    await expect(
        page.get_by_role("heading", name=re.compile("Webhook dead letters"))
    ).to_be_visible()

    rows = page.get_by_test_id("dead-letter")
    await expect(rows).to_have_count(2)
    await expect(page.get_by_test_id("dead-count")).to_have_text("2")
    first = rows.first
    await expect(first).to_contain_text("contact.created")
    await expect(first).to_contain_text(refusing_receiver.url)
    await expect(first.locator("td").nth(2)).to_have_text("2")  # attempts
    await expect(first).to_contain_text("HTTP 503")
    await expect(first.locator("time")).not_to_be_empty()
    await page.screenshot(path=str(SCREENSHOT), animations="disabled")
    await assert_accessible(page, "dead letters")

    refusing_receiver.refuse = False  # the receiver is healthy again
    await first.get_by_role("button", name=re.compile("^Replay contact.created")).click()
    progress = page.get_by_test_id("dead-progress")
    await expect(progress).to_contain_text("1 dead letter sent again")
    await expect(progress).to_contain_text("Delivered: nothing waiting.")
    await expect(rows).to_have_count(1)
    assert len(refusing_receiver.received) == 1

    await page.get_by_role("button", name="Replay all (1)").click()
    await expect(progress).to_contain_text("Delivered: nothing waiting.")
    await expect(page.get_by_test_id("dead-empty")).to_contain_text("No dead letters")
    await expect(rows).to_have_count(0)
    await assert_accessible(page, "no dead letters")
    await expect(page.get_by_role("button", name="Replay all")).to_be_disabled()
    assert sorted(r.event["data"]["contact"]["first_name"] for r in refusing_receiver.received) == [
        "Eva",
        "Ivan",
    ]
    assert await services.webhooks.dead_letters(SYSTEM) == []


async def test_an_agent_gets_no_link_and_a_refusal(page: Page, bridge_server: BridgeServer) -> None:
    await sign_in(page, bridge_server.url, bridge_server.agent.login, bridge_server.password)
    await expect(page.get_by_role("link", name="Call-backs")).to_be_visible()
    await expect(page.get_by_role("link", name="Dead letters")).to_have_count(0)
    await page.goto(f"{bridge_server.url}/#/dead-letters")
    await expect(page.get_by_role("alert")).to_have_text("This page is for admins.")
