"""The recording player on the card's history, in Chromium against the bridge's app (a recording
file written like Asterisk's; the sandbox's own recording is played in
tests/e2e/test_recording_asterisk.py): play/pause, seek, speed 1x/1.5x/2x; an agent gets no
download and no keep flag; a supervisor downloads and keeps the call, in Slovak."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.async_api import Browser, Locator, Page, expect

from crm_core.models.enums import Role
from crm_core.services.dto import UserCreate
from crm_core.services.dto.recordings import RecordingStart, Speaker
from tests.crm_core.conftest import SYSTEM
from tests.fixtures.browser import WEB_DB, BridgeServer
from tests.recordings.helpers import recorded_call
from tests.recordings.wav import write_wav
from tests.web.axe import assert_accessible
from tests.web.test_screenpop_page import Phone, new_call, pop_of, sign_in

pytestmark = [pytest.mark.browser, WEB_DB]
BOSS, BOSS_PASSWORD = "bea", "bea-secret-pass-1"


async def open_player(page: Page, url: str, contact_id: int, play_text: str) -> Locator:
    await page.goto(f"{url}/#/contacts/{contact_id}")
    timeline = page.locator("ol.timeline")
    await timeline.get_by_role("button", name=play_text).click()
    return timeline.locator(".rec-player")


async def audio_state(player: Locator) -> dict[str, float]:
    state: dict[str, float] = await player.locator("audio").evaluate(
        "a => ({time: a.currentTime, rate: a.playbackRate, paused: a.paused ? 1 : 0,"
        " duration: a.duration})"
    )
    return state


async def seek_to(player: Locator, seconds: float) -> None:
    await player.get_by_label("Position in the recording").evaluate(
        "(el, s) => { el.value = String(s); el.dispatchEvent(new Event('input')); }", seconds
    )


async def test_an_agent_plays_seeks_and_speeds_up_a_recording(
    page: Page, bridge_server: BridgeServer
) -> None:
    jana = bridge_server.contacts["jana"]
    await recorded_call(bridge_server.services, "web-rec-1", seconds=8.0)
    await sign_in(page, bridge_server.url, bridge_server)
    player = await open_player(page, bridge_server.url, jana.id, "Play recording")
    await expect(player).to_have_count(1)
    await expect(player.locator(".rec-time")).to_have_text("0:00 of 0:08")
    await player.get_by_role("button", name="Play").click()
    await expect(player.get_by_role("button", name="Pause")).to_be_visible()
    await page.wait_for_function(
        "() => document.querySelector('.rec-player audio').currentTime > 0.3"
    )
    await player.get_by_role("button", name="2×").click()
    await expect(player.get_by_role("button", name="2×")).to_have_attribute("aria-pressed", "true")
    await expect(player.get_by_role("button", name="1×")).to_have_attribute("aria-pressed", "false")
    assert (await audio_state(player))["rate"] == 2
    await player.get_by_role("button", name="1.5×").click()
    assert (await audio_state(player))["rate"] == 1.5
    await player.get_by_role("button", name="Pause").click()
    await seek_to(player, 5)
    state = await audio_state(player)
    assert abs(state["time"] - 5) < 0.2
    assert state["paused"] == 1
    assert state["duration"] == pytest.approx(8.0, abs=0.05)
    await expect(player.locator(".rec-time")).to_have_text("0:05 of 0:08")
    await expect(player.get_by_role("button", name="Download")).to_have_count(0)
    await expect(page.locator(".rec-keep")).to_have_count(0)
    await assert_accessible(page, "card with a recording player")


async def test_a_supervisor_downloads_and_keeps_in_slovak(
    browser: Browser, bridge_server: BridgeServer
) -> None:
    services = bridge_server.services
    await services.users.create(
        SYSTEM, UserCreate(login=BOSS, password=BOSS_PASSWORD, role=Role.SUPERVISOR)
    )
    call, _ = await recorded_call(services, "web-rec-2", seconds=3.0)
    context = await browser.new_context(locale="sk-SK", timezone_id="Europe/Bratislava")
    page = await context.new_page()
    try:
        await page.goto(bridge_server.url)
        await page.get_by_label("Prihlasovacie meno").fill(BOSS)
        await page.get_by_label("Heslo").fill(BOSS_PASSWORD)
        await page.get_by_role("button", name="Prihlásiť sa").click()
        player = await open_player(
            page, bridge_server.url, bridge_server.contacts["jana"].id, "Prehrať nahrávku"
        )
        await expect(player.locator(".rec-time")).to_have_text("0:00 z 0:03")
        await expect(player.get_by_role("button", name="1,5×")).to_be_visible()
        async with page.expect_download() as downloading:
            await player.get_by_role("button", name="Stiahnuť").click()
        download = await downloading.value
        assert download.suggested_filename == "web-rec-2.wav"
        keep = page.get_by_label("Uchovať nahrávky tohto hovoru (po uplynutí lehoty sa nevymažú)")
        await keep.check()
        await expect(keep).to_be_checked()
        await page.wait_for_timeout(300)
        kept = await services.calls.get(SYSTEM, call.id)
        assert kept.keep_recordings is True
        await assert_accessible(page, "card with a recording player, supervisor, Slovak")
    finally:
        await context.close()


async def test_the_wrap_up_plays_the_call_just_ended(
    page: Page, bridge_server: BridgeServer
) -> None:
    """The pop's wrap-up offers the call's recording once MixMonitor named it; while Asterisk
    still writes the file the player says so and asks again until it plays."""
    await sign_in(page, bridge_server.url, bridge_server)
    phone = Phone(bridge_server, new_call(recording="/var/spool/asterisk/monitor/pop-rec.wav"))
    await phone.ring("1001")
    await phone.answer("1001")
    root = bridge_server.services.settings.recordings_dir
    write_wav(root / "pop-rec.wav", 4.0, closed=False)
    start = RecordingStart(
        linkedid=phone.call.linkedid, file_name="pop-rec.wav", channel="PJSIP/trunk-1",
        received_speaker=Speaker.CLIENT, sent_speaker=Speaker.AGENT, at=datetime.now(UTC),
    )  # fmt: skip
    await bridge_server.services.recording_log.started(start)
    await phone.end(talk=4)
    pop = pop_of(page, phone.call)
    await expect(pop).to_have_attribute("data-phase", "ended")
    await pop.get_by_role("button", name="Play recording").click()
    await expect(pop.get_by_text("The recording is still being written")).to_be_visible()
    write_wav(root / "pop-rec.wav", 4.0)  # Asterisk closes the file
    player = pop.locator(".rec-player")
    await expect(player.locator(".rec-time")).to_have_text("0:00 of 0:04", timeout=10_000)
    await player.get_by_role("button", name="Play").click()
    await expect(player.get_by_role("button", name="Pause")).to_be_visible()
