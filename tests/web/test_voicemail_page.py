"""Voicemail on the card's history, in Chromium against the bridge's app (a message written into
the spool as Asterisk's app_voicemail writes it, read by the bridge's scan; the sandbox's own
message is played in tests/voicemail/test_sandbox_asterisk.py): the agent whose box it is gets
the call-back's notice over /ws/agent at once and sees it on the card marked New,
plays it with the recordings' player and it is heard (asserted through the API); a supervisor
in Slovak marks one heard without listening and downloads it; no English left. Saves
docs/voicemail-card.png."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from crm_core.models.enums import Role
from crm_core.services.dto import UserCreate
from crm_core.services.dto.voicemails import VoicemailOut
from tests.crm_core.conftest import SYSTEM
from tests.fixtures.browser import WEB_DB, BridgeServer
from tests.voicemail.spool_files import leave_message
from tests.web.axe import assert_accessible
from tests.web.test_languages_page import no_foreign_text
from tests.web.test_screenpop_page import sign_in

pytestmark = [pytest.mark.browser, WEB_DB]
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "voicemail-card.png"
BOSS, BOSS_PASSWORD = "vera", "vera-secret-pass-1"
JANA_NUMBER = "0900123456"  # the seeded card's mobile


async def message_for_jana(server: BridgeServer, msg_id: str, index: int = 0) -> VoicemailOut:
    """A 3 s message from Jana's mobile in box 1001 (the seeded agent's), scanned in."""
    services = server.services
    at = datetime.now(UTC) - timedelta(minutes=20 - index)
    leave_message(services.settings.voicemail_dir, index, box="1001", at=at,
                  number=JANA_NUMBER, name="Jana Novakova", msg_id=msg_id,
                  seconds=3.0, duration=3)  # fmt: skip
    assert server.bridge is not None
    result = await server.bridge.voicemail.scan()  # as MessageWaiting makes the bridge do
    (added,) = result.added
    return added


async def test_the_boxs_agent_plays_a_new_message_and_it_is_heard(
    page: Page, bridge_server: BridgeServer
) -> None:
    await sign_in(page, bridge_server.url, bridge_server)
    message = await message_for_jana(bridge_server, "web-vm-1")
    assert (message.owner_id, message.heard) == (bridge_server.agent.id, False)
    notice = page.get_by_test_id("voicemail-notice")  # /ws/agent: the call-back's notice
    await expect(notice).to_contain_text("New voicemail: call back")
    await expect(notice).to_contain_text("Voicemail for 1001")
    await expect(notice.get_by_role("button", name="Call Jana Nováková")).to_be_visible()
    await page.goto(f"{bridge_server.url}/#/contacts/{bridge_server.contacts['jana'].id}")
    item = page.locator(f".vm-body[data-voicemail='{message.id}']")
    await expect(item).to_contain_text("Voicemail for 1001")
    await expect(item).to_contain_text("3 s long")
    await expect(item.locator(".vm-state")).to_have_text("New")
    await expect(page.get_by_role("button", name="Voicemail (1)")).to_be_visible()
    await item.get_by_role("button", name="Play voicemail").click()
    player = item.locator(".rec-player")
    await expect(player.locator(".rec-time")).to_have_text("0:00 of 0:03")
    await player.get_by_role("button", name="Play").click()
    await page.wait_for_function(
        "() => document.querySelector('.vm-body .rec-player audio').currentTime > 0.3"
    )
    await player.get_by_role("button", name="Pause").click()
    await expect(item.locator(".vm-state")).to_have_text("heard")
    heard = await bridge_server.services.voicemails.get(SYSTEM, message.id)
    assert (heard.heard, heard.heard_by_id) == (True, bridge_server.agent.id)
    await expect(player.get_by_role("button", name="Download")).to_have_count(0)  # agents
    await item.evaluate("el => el.scrollIntoView({block: 'center'})")
    await page.screenshot(path=str(SCREENSHOT), animations="disabled")
    await assert_accessible(page, "card with a voicemail message")


async def test_a_supervisor_marks_heard_and_downloads_in_slovak(
    browser: Browser, bridge_server: BridgeServer
) -> None:
    services = bridge_server.services
    await services.users.create(
        SYSTEM, UserCreate(login=BOSS, password=BOSS_PASSWORD, role=Role.SUPERVISOR)
    )
    message = await message_for_jana(bridge_server, "web-vm-2")
    context = await browser.new_context(locale="sk-SK", timezone_id="Europe/Bratislava")
    page = await context.new_page()
    try:
        await page.goto(bridge_server.url)
        await page.get_by_label("Prihlasovacie meno").fill(BOSS)
        await page.get_by_label("Heslo").fill(BOSS_PASSWORD)
        await page.get_by_role("button", name="Prihlásiť sa").click()
        await page.goto(f"{bridge_server.url}/#/contacts/{bridge_server.contacts['jana'].id}")
        item = page.locator(f".vm-body[data-voicemail='{message.id}']")
        await expect(item).to_contain_text("Hlasová správa pre 1001")
        await expect(item.locator(".vm-state")).to_have_text("Nová")
        await item.get_by_role("button", name="Označiť ako vypočutú").click()
        await expect(item.locator(".vm-state")).to_have_text("vypočutá")
        assert (await services.voicemails.get(SYSTEM, message.id)).heard is True
        await item.get_by_role("button", name="Prehrať hlasovú správu").click()
        async with page.expect_download() as downloading:
            await item.get_by_role("button", name="Stiahnuť").click()
        download = await downloading.value
        assert download.suggested_filename.startswith("voicemail-1001-")
        await no_foreign_text(page, "sk")
    finally:
        await context.close()
