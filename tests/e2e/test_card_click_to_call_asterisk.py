"""Click-to-call from the card in Chromium, for an agent with a desk phone (no browser phone): a
click on a number of the card's call history makes the bridge ring the agent's phone first, then
the client (AMI Originate), the new call lands on the card as outbound and the missed call's
call-back task closes."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.async_api import Page, expect

from crm_core.models.enums import Direction, Disposition, Role
from crm_core.services import Services
from crm_core.services.dto import Actor, CallFilter, CallRecord, ContactCreate, PhoneIn
from cti.sandbox.manager import ConnectionInfo
from cti.sandbox.settings import SandboxSettings
from cti.sandbox.sim.scenarios import talk
from cti.sandbox.sim.world import open_world
from tests.fixtures.bridge import RunningBridge, wait_until
from tests.fixtures.browser import WEB_DB
from tests.fixtures.db import MakeUser

pytestmark = [pytest.mark.asterisk, pytest.mark.browser, WEB_DB]
SYSTEM = Actor.system()
CLIENT = "+420777123456"
CALL_BACK_TITLE = re.compile(r"^Call \+420 ?777 ?123 ?456 \(Mobile\) back$")


async def _missed_call_on_a_card(services: Services, owner_id: int) -> int:
    contact = await services.contacts.create(
        SYSTEM,
        ContactCreate(first_name="Eva", last_name="Malá", owner_id=owner_id,
                      phones=[PhoneIn(number=CLIENT)]),
    )  # fmt: skip
    started = datetime.now(UTC) - timedelta(hours=2)
    missed = CallRecord(
        linkedid="1764234000.1", direction=Direction.INBOUND, caller=CLIENT, callee="100",
        queue="sales", agents_rang=["1008"], started_at=started,
        ended_at=started + timedelta(seconds=20), disposition=Disposition.MISSED,
    )  # fmt: skip
    await services.calls.register(SYSTEM, missed)
    return contact.id


async def test_a_number_in_the_card_history_calls_the_client_back_through_the_desk_phone(
    page: Page, services: Services, make_user: MakeUser,
    running_bridge: RunningBridge, asterisk: ConnectionInfo,
) -> None:  # fmt: skip
    user, password = await make_user(Role.AGENT, extensions=["1008"])
    contact_id = await _missed_call_on_a_card(services, user.id)
    await page.goto(running_bridge.url)
    await page.get_by_label("Login").fill(user.login)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()
    await page.goto(f"{running_bridge.url}/#/contacts/{contact_id}")

    async with open_world(SandboxSettings.from_env(), stub_agi=False) as world:
        world.phones.plans["1008"] = talk(2, answer_after=1)
        world.carrier.plans[CLIENT] = talk(2, answer_after=1)
        await world.wait_idle()  # a call left ringing by an earlier test would make 1008 busy
        tracker = running_bridge.bridge.tracker
        await wait_until(lambda: not tracker.agent_calls("1008").ringing, 10, "1008 to be free")
        history = page.locator(".timeline")
        number = history.locator("button.dial-link")
        await expect(number).to_have_attribute("title", CALL_BACK_TITLE)
        await number.click()
        await expect(page.locator(".toast-region")).to_contain_text("your phone rings first")
        await world.wait_idle(timeout=40)

    await running_bridge.bridge.pipeline.drain()
    found = await services.calls.list(SYSTEM, CallFilter(contact_id=contact_id))
    calls = sorted((c.direction, c.disposition, c.caller) for c in found.items)
    assert calls == [("inbound", "missed", CLIENT), ("outbound", "answered", "1008")]
    await page.reload()  # the missed call's call-back task closed when the client answered
    await expect(page.get_by_text("No open tasks.")).to_be_visible()
