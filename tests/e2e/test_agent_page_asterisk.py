"""The agent's page against the real Asterisk: a known client calls the ring-all `sales` queue and
agent 1002, signed in in Chromium, sees the client's card pop up while the phone still rings, then
"on call", then the wrap-up; the call lands on the card's timeline and the wrap-up's note is tied
to it. Saves docs/screenpop.png (the ringing pop). And the agent-state buttons: Pause (lunch) on
the page shows in Asterisk's QueueStatus; a pause made over AMI shows on the page."""

from __future__ import annotations

import asyncio
import contextlib
import re
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from crm_core.models.enums import ContactStatus, Role
from crm_core.services import Services
from crm_core.services.dto import Actor, CallFilter, CompanyCreate, ContactCreate, PhoneIn
from cti.sandbox.ami import AmiClient
from cti.sandbox.manager import ConnectionInfo
from cti.sandbox.settings import SandboxSettings
from cti.sandbox.sim.scenarios import CUSTOMER, queue_ringall_one_answers
from cti.sandbox.sim.world import open_world
from tests.fixtures.bridge import RunningBridge
from tests.fixtures.browser import WEB_DB
from tests.fixtures.db import MakeUser

pytestmark = [pytest.mark.asterisk, pytest.mark.browser, WEB_DB]
SYSTEM = Actor.system()
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenpop.png"


async def _agents_and_client(services: Services, make_user: MakeUser) -> tuple[str, str, int]:
    """Agents on 1001-1003 (the client's owner on 1001); 1002's login and password; the card."""
    logins: dict[str, tuple[str, str]] = {}
    owner_id = 0
    for extension in ("1001", "1002", "1003"):
        user, password = await make_user(Role.AGENT, extensions=[extension])
        logins[extension] = (user.login, password)
        owner_id = owner_id or user.id
    company = await services.companies.create(SYSTEM, CompanyCreate(name="Novák Stavby s.r.o."))
    contact = await services.contacts.create(
        SYSTEM,
        ContactCreate(
            first_name="Petr", last_name="Novák", owner_id=owner_id, company_id=company.id,
            position="Site manager", status=ContactStatus.CLIENT,
            phones=[PhoneIn(number=CUSTOMER.replace("+420", "00420 "))],
        ),
    )  # fmt: skip
    login, password = logins["1002"]
    return login, password, contact.id


async def test_agent_sees_the_ringing_card_then_wraps_up_and_the_call_is_on_the_card(
    page: Page,
    services: Services,
    make_user: MakeUser,
    running_bridge: RunningBridge,
    asterisk: ConnectionInfo,
) -> None:
    login, password, contact_id = await _agents_and_client(services, make_user)
    await page.goto(running_bridge.url)
    await page.get_by_label("Login").fill(login)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_test_id("live-status")).to_have_text("Live")

    async def customer_calls() -> None:
        async with open_world(SandboxSettings.from_env(), stub_agi=False) as world:
            await queue_ringall_one_answers(world)  # 1002 answers after 3 s, talks 4 s

    call = asyncio.create_task(customer_calls())
    try:
        pop = page.get_by_test_id("pop")
        # While the phone rings (1002 answers after 3 s): the client's card.
        try:
            await expect(pop).to_have_attribute("data-phase", "ringing", timeout=20_000)
        except AssertionError:
            if call.done() and call.exception() is not None:
                raise AssertionError(f"the sandbox call failed: {call.exception()!r}") from None
            raise
        await expect(pop.get_by_role("heading", level=3, name="Petr Novák")).to_be_visible()
        assert await pop.get_attribute("data-phase") == "ringing"
        await expect(pop.get_by_text("Queue sales")).to_be_visible()
        await expect(pop.get_by_text("Novák Stavby s.r.o.")).to_be_visible()
        await page.screenshot(path=str(SCREENSHOT), animations="disabled")

        await expect(pop.get_by_role("heading", name="On call with Petr Novák")).to_be_visible(
            timeout=15_000
        )
        wrap_up = pop.get_by_role("form", name="Wrap-up")
        await expect(wrap_up).to_be_visible(timeout=30_000)
        await expect(pop.get_by_test_id("pop-outcome")).to_have_text("answered")
        await asyncio.wait_for(call, 30)
    finally:
        if not call.done():
            call.cancel()
        await asyncio.gather(call, return_exceptions=True)

    await running_bridge.bridge.pipeline.drain()
    calls = (await services.calls.list(SYSTEM, CallFilter(contact_id=contact_id))).items
    assert [(c.disposition, c.answered_by) for c in calls] == [("answered", "1002")]

    await wrap_up.get_by_label("Result of the call").fill("Ordered 12 t of cement for Monday.")
    await wrap_up.get_by_role("button", name="Save and close").click()
    await expect(pop).to_have_count(0)
    notes = await services.notes.for_contact(contact_id)
    assert [(n.body, n.call_id) for n in notes] == [
        ("Ordered 12 t of cement for Monday.", calls[0].id)
    ]

    # The call on the card's timeline.
    await page.goto(f"{running_bridge.url}/#/contacts/{contact_id}")
    timeline = page.locator(".timeline")
    await expect(timeline.get_by_text(re.compile("Incoming call"))).to_have_count(1)
    await expect(timeline).to_contain_text(f"answered by {login} (ext. 1002)")  # the user's name
    await expect(timeline).to_contain_text("queue sales")
    await expect(timeline).to_contain_text("Ordered 12 t of cement for Monday.")


ME = "PJSIP/1007"  # no static queue member in queues.conf


async def _member(simulator: AmiClient) -> dict[str, str]:
    listing = await simulator.listing("QueueStatus", Queue="support")
    members = [m for m in listing if m.get("Event") == "QueueMember"]
    return next(m for m in members if ME in (m.get("Location"), m.get("StateInterface")))


async def test_agent_state_buttons_reach_asterisk_and_changes_from_ami_reach_the_page(
    page: Page, services: Services, make_user: MakeUser, running_bridge: RunningBridge
) -> None:
    user, password = await make_user(Role.AGENT, extensions=["1007"])
    simulator = await AmiClient.connect(
        SandboxSettings.from_env().account("simulator"), events="off"
    )
    try:
        await asyncio.wait_for(running_bridge.bridge.telephony.feed.refreshed.wait(), 15)
        await page.goto(running_bridge.url)
        await page.get_by_label("Login").fill(user.login)
        await page.get_by_label("Password").fill(password)
        await page.get_by_role("button", name="Sign in").click()
        status = page.get_by_test_id("agent-status")
        await expect(status).to_have_text("Logged out")
        await status.click()
        await page.get_by_role("button", name="Log in to support", exact=True).click()
        await expect(status).to_have_text("Available · support")

        await page.get_by_role("button", name="Pause: lunch").click()
        await expect(status).to_have_text("Paused: lunch")
        member = await _member(simulator)
        assert (member["Paused"], member["PausedReason"]) == ("1", "lunch")

        await simulator.action("QueuePause", Interface=ME, Paused="false")
        await expect(status).to_have_text("Available · support")
        await simulator.action("QueuePause", Interface=ME, Paused="true", Reason="training")
        await expect(status).to_have_text("Paused: training")
        await page.get_by_role("button", name="Resume").click()
        await expect(status).to_have_text("Available · support")
        assert (await _member(simulator))["Paused"] == "0"
        await page.get_by_role("button", name="Pause: after-call work").click()
        await expect(status).to_have_text("Paused: after-call work")
        assert (await _member(simulator))["PausedReason"] == "after-call work"
        await page.get_by_role("button", name="Resume").click()
        await expect(status).to_have_text("Available · support")
        await page.get_by_role("button", name="Log out of support", exact=True).click()
        await expect(status).to_have_text("Logged out")
    finally:
        with contextlib.suppress(Exception):
            await simulator.action("QueueRemove", Queue="support", Interface=ME)
        await simulator.close()
