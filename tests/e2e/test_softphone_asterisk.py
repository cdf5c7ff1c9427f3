"""The browser phone against the real Asterisk, in headless Chromium with a fake microphone.

Agent 1001's page registers as 1001 over WSS, agent 1002's page as 1002 (tests/e2e/
softphone_pages.py). A simulated caller (the carrier UA, which sends and counts real PCMU RTP)
calls `sales`; 1001's page rings with the caller's name and number and the client's card (saved
as docs/softphone.png); the test answers, and audio flows both ways on the caller<->agent call:
the page's getStats packet counters rise both ways and the caller counts Asterisk's packets.
Hold and the DTMF keypad are checked on Asterisk's own AMI events for the browser's channel
(a separate AMI login, the unfiltered `recorder`). Then 1001 transfers to 1002: attended
(consult first, audio both ways between the browsers) or blind; the call record shows it.
Bad input: test_softphone_bad_input.py; Asterisk restarted: test_softphone_restart.py.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from playwright.async_api import Browser, Locator, Page, expect

from crm_core.services import Services
from crm_core.services.dto import CallFilter
from cti.sandbox.manager import Sandbox
from cti.sandbox.sim.scenarios import CUSTOMER, CUSTOMER_NAME, SALES
from cti.sandbox.sim.world import open_world
from cti.sandbox.sip.dialog import Dialog
from tests.e2e.softphone_pages import (
    SIMULATED,
    SYSTEM,
    agent_page,
    agents_and_client,
    assert_rising,
    phone_browser,
    rtp,
    softphone_bridge,
)
from tests.fixtures.bridge import RunningBridge
from tests.fixtures.browser import WEB_DB
from tests.fixtures.db import MakeUser
from tests.sandbox.helpers import EventLog, collecting

pytestmark = [pytest.mark.asterisk, pytest.mark.browser, WEB_DB]
__all__ = ["phone_browser", "softphone_bridge"]  # fixtures
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "softphone.png"
LIVE = '[data-testid="phone-call"]:not([data-state="ended"])'


@pytest.mark.parametrize("kind", ["attended", "blind"])
async def test_the_browser_rings_answers_talks_both_ways_and_transfers(
    kind: str,
    phone_browser: Browser,
    services: Services,
    make_user: MakeUser,
    softphone_bridge: RunningBridge,
    sandbox: Sandbox,
) -> None:
    logins, contact_id = await agents_and_client(services, make_user)
    url = softphone_bridge.url
    async with (
        agent_page(phone_browser, url, *logins["1001"]) as alice,
        agent_page(phone_browser, url, *logins["1002"]) as bob,
        collecting(sandbox.settings.account("recorder")) as ami,
        open_world(sandbox.settings, stub_agi=False, agents=SIMULATED) as world,
    ):
        for page in (alice, bob):
            await expect(page.get_by_test_id("phone-status")).to_contain_text("Phone ready")
        caller = await world.carrier.call(SALES, CUSTOMER, CUSTOMER_NAME)
        try:
            call = await ring_and_answer(alice, bob, caller, screenshot=kind == "attended")
            if kind == "attended":
                await hold_and_keypad(call, await world.agent_channel("1001"), ami)
                await consult_and_complete(alice, bob, call)
            else:
                await transfer_now(alice, bob, call, caller)
            await bob.locator(LIVE).get_by_role("button", name="Hang up").click()
            await asyncio.wait_for(caller.ended.wait(), 15)
        finally:
            await world.carrier.hang_up(caller)
        await world.wait_idle(20)

    await softphone_bridge.bridge.pipeline.drain()
    calls = (await services.calls.list(SYSTEM, CallFilter(contact_id=contact_id))).items
    assert len(calls) == 1, calls
    assert calls[0].answered_by == "1001"
    transfers = [(t["kind"], t["from"], t["to"]) for t in calls[0].transfers]
    assert transfers == [(kind, "1001", "1002")], calls[0].transfers


async def ring_and_answer(alice: Page, bob: Page, caller: Dialog, screenshot: bool) -> Locator:
    ringing = alice.get_by_test_id("phone-call").first
    await expect(ringing).to_have_attribute("data-state", "ringing", timeout=20_000)
    await expect(ringing.get_by_test_id("phone-caller-number")).to_contain_text("601000001")
    await expect(ringing.get_by_test_id("phone-caller-name")).to_have_text(CUSTOMER_NAME)
    pop = alice.get_by_test_id("pop")
    await expect(pop.get_by_role("heading", level=3, name="Petr Novák")).to_be_visible()
    if screenshot:
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
    await caller_and_agent_talk(alice, caller)
    return ringing


async def caller_and_agent_talk(agent: Page, caller: Dialog) -> None:
    """Two-way audio on the caller<->agent call: the page's getStats and the caller's counts."""
    media = caller.media
    assert media is not None, "the caller's leg has no RTP stream"

    async def caller_counts() -> dict[str, int]:
        return {"sent": media.sent, "received": media.received}

    await asyncio.gather(
        assert_rising("agent page", lambda: rtp(agent)), assert_rising("caller", caller_counts)
    )


async def hold_and_keypad(call: Locator, channel: str, ami: EventLog) -> None:
    await call.get_by_role("button", name="Hold").click()
    await expect(call).to_have_attribute("data-held", "true")
    await expect(call).to_contain_text("On hold")
    await ami.wait_for("Hold", 10, Channel=channel)
    await call.get_by_role("button", name="Resume").click()
    await expect(call).to_have_attribute("data-held", "false")
    await ami.wait_for("Unhold", 10, Channel=channel)

    await call.get_by_role("button", name="Keypad").click()
    for digit in "42#":
        await call.get_by_role("button", name=f"Key {digit}").click()
        await ami.wait_for("DTMFEnd", 10, Channel=channel, Digit=digit, Direction="Received")


async def consult_and_complete(alice: Page, bob: Page, call: Locator) -> None:
    """Attended transfer: consult 1002 while the caller waits on hold, then join them."""
    await call.get_by_role("button", name="Transfer").click()
    await call.get_by_label("Transfer to").fill("1002")
    await call.get_by_role("button", name="Talk first").click()
    await expect(call).to_have_attribute("data-held", "true")
    bob_call = bob.locator(LIVE)
    await expect(bob_call).to_have_attribute("data-state", "ringing", timeout=15_000)
    await bob_call.get_by_role("button", name="Answer").click()
    consult = alice.get_by_test_id("phone-call").nth(1)
    await expect(consult).to_have_attribute("data-state", "talking")
    await expect(bob_call).to_have_attribute("data-state", "talking")
    for who, page in (("alice", alice), ("bob", bob)):
        await assert_rising(who, lambda page=page: rtp(page))  # type: ignore[misc]

    await consult.get_by_role("button", name="Complete transfer").click()
    await expect(alice.locator(LIVE)).to_have_count(0, timeout=15_000)
    await expect(bob_call).to_have_attribute("data-state", "talking")


async def transfer_now(alice: Page, bob: Page, call: Locator, caller: Dialog) -> None:
    """Blind transfer: 1002 rings at once, 1001 is out; the caller then talks with 1002."""
    await call.get_by_role("button", name="Transfer").click()
    await call.get_by_label("Transfer to").fill("1002")
    await call.get_by_role("button", name="Transfer now").click()
    await expect(alice.locator(LIVE)).to_have_count(0, timeout=15_000)
    bob_call = bob.locator(LIVE)
    await expect(bob_call).to_have_attribute("data-state", "ringing", timeout=15_000)
    await expect(bob_call.get_by_test_id("phone-caller-number")).to_contain_text("601000001")
    await bob_call.get_by_role("button", name="Answer").click()
    await expect(bob_call).to_have_attribute("data-state", "talking")
    await caller_and_agent_talk(bob, caller)
