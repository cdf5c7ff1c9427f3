"""Recordings of real sandbox calls: MixMonitor's mix and both directions land on the call (the
simulated caller's PCMU tone in the caller's direction), complete with size and duration, stream
with Range, and play in the agent's card in Chromium; a blind transfer gives the call a second
recording. Saves docs/recording-player.png (the card's history with the player)."""

from __future__ import annotations

import array
import asyncio
import math
from collections.abc import AsyncIterator
from pathlib import Path, PurePosixPath

import httpx
import pytest
import pytest_asyncio
from playwright.async_api import Browser, expect

from crm_core.models.enums import Role
from crm_core.services import Services
from crm_core.services.dto import Actor, CallFilter, CallOut, ContactCreate, PhoneIn
from crm_core.services.dto.recordings import RecordingOut
from crm_core.settings import CrmSettings
from cti.sandbox.manager import ConnectionInfo, Sandbox
from cti.sandbox.settings import SandboxSettings
from cti.sandbox.sim.scenario_kit import CUSTOMER, CUSTOMER_NAME, talk
from cti.sandbox.sim.world import World, open_world
from cti.sandbox.sip.calls import AnswerPlan
from tests.fixtures.bridge import RunningBridge
from tests.fixtures.browser import WEB_DB
from tests.fixtures.db import MakeUser

pytestmark = [pytest.mark.asterisk, pytest.mark.browser, WEB_DB]
SYSTEM = Actor.system()
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "recording-player.png"
MONITOR = PurePosixPath("/var/spool/asterisk/monitor")


@pytest.fixture
def crm_settings(db_url: str, tmp_path: Path) -> CrmSettings:
    """The bridge reads the recordings where the sandbox's Asterisk writes them."""
    monitor = Sandbox(SandboxSettings.from_env()).layout.inside(MONITOR)
    return CrmSettings(
        database_url=db_url, default_region="SK", secret_key="test-secret-key",
        var_dir=tmp_path / "var", recordings_dir=monitor,
    )  # fmt: skip


@pytest_asyncio.fixture
async def world(asterisk: ConnectionInfo, sandbox: Sandbox) -> AsyncIterator[World]:
    async with open_world(sandbox.settings, stub_agi=False) as opened:
        await asyncio.sleep(1)  # registrations settle
        yield opened
        await opened.wait_idle(timeout=30)


async def finished_call(services: Services, contact_id: int, recordings: int) -> CallOut:
    found: list[CallOut] = []

    async def settled() -> bool:
        page = await services.calls.list(SYSTEM, CallFilter(contact_id=contact_id))
        found[:] = [call for call in page.items if call.ended_at is not None]
        if not found:
            return False
        listed = await services.recordings.list_for_call(SYSTEM, found[0].id)
        return len(listed) == recordings and all(r.status == "complete" for r in listed)

    deadline = asyncio.get_running_loop().time() + 20
    while not await settled():
        assert asyncio.get_running_loop().time() < deadline, "the recordings did not settle"
        await asyncio.sleep(0.25)
    return found[0]


def loudness(path: Path) -> float:
    """RMS of a 16-bit WAV's samples (past the 44-byte header)."""
    samples = array.array("h", path.read_bytes()[44:])
    return math.sqrt(sum(s * s for s in samples) / max(1, len(samples)))


async def customer_card(services: Services, make_user: MakeUser) -> tuple[int, str, str]:
    agent, password = await make_user(Role.AGENT, extensions=["1001"])
    await make_user(Role.AGENT, extensions=["1002"])
    contact = await services.contacts.create(
        SYSTEM,
        ContactCreate(first_name="Petr", last_name="Novák", owner_id=agent.id,
                      phones=[PhoneIn(number=CUSTOMER)]),
    )  # fmt: skip
    return contact.id, agent.login, password


async def test_a_real_call_is_recorded_linked_streamed_and_played(
    services: Services, make_user: MakeUser, running_bridge: RunningBridge, world: World,
    browser: Browser,
) -> None:  # fmt: skip
    contact_id, login, password = await customer_card(services, make_user)
    world.phones.plans["1001"] = talk(5, answer_after=1)
    dialog = await world.carrier.call("1001", CUSTOMER, CUSTOMER_NAME)
    await asyncio.wait_for(dialog.ended.wait(), 30)
    call = await finished_call(services, contact_id, recordings=1)
    (recording,) = await services.recordings.list_for_call(SYSTEM, call.id)
    assert recording.parts == ["mixed", "received", "sent"]
    assert (recording.received_speaker, recording.sent_speaker) == ("client", "agent")
    assert recording.duration_seconds is not None
    assert 3.0 < recording.duration_seconds < 7.0
    root = services.settings.recordings_dir
    caller_side = root / recording.file_name.replace(".wav", "-rx.wav")
    agent_side = root / recording.file_name.replace(".wav", "-tx.wav")
    assert loudness(caller_side) > 500  # the simulated caller's tone
    assert loudness(agent_side) < loudness(caller_side) / 5  # the simulated phone sends nothing
    token = (await services.users.login(login, password)).access_token
    async with httpx.AsyncClient(base_url=running_bridge.url) as client:
        part = await client.get(
            f"/api/calls/{call.id}/recording",
            headers={"Authorization": f"Bearer {token}", "Range": "bytes=44-1043"},
        )
    assert part.status_code == 206
    assert part.headers["content-type"] == "audio/wav"
    assert part.content == (root / recording.file_name).read_bytes()[44:1044]
    await play_in_the_card(browser, running_bridge.url, contact_id, login, password, recording)


async def play_in_the_card(
    browser: Browser, url: str, contact_id: int, login: str, password: str, recording: RecordingOut
) -> None:
    context = await browser.new_context(
        viewport={"width": 1366, "height": 768}, locale="en-GB", timezone_id="UTC"
    )
    page = await context.new_page()
    try:
        await page.goto(url)
        await page.get_by_label("Login").fill(login)
        await page.get_by_label("Password").fill(password)
        await page.get_by_role("button", name="Sign in").click()
        await page.goto(f"{url}/#/contacts/{contact_id}")
        timeline = page.locator("ol.timeline")
        await timeline.get_by_role("button", name="Play recording").click()
        player = timeline.locator(".rec-player")
        await player.get_by_role("button", name="Play").click()
        await page.wait_for_function(
            "() => document.querySelector('.rec-player audio').currentTime > 1"
        )
        await player.get_by_role("button", name="Pause").click()
        duration = await player.locator("audio").evaluate("a => a.duration")
        assert duration == pytest.approx(recording.duration_seconds, abs=0.1)
        await player.get_by_role("button", name="1.5×").click()
        await expect(player.locator(".rec-time")).to_contain_text("of 0:0")
        await player.scroll_into_view_if_needed()
        await page.screenshot(path=str(SCREENSHOT), animations="disabled")
    finally:
        await context.close()


async def test_a_blind_transfer_gives_the_call_a_second_recording(
    services: Services, make_user: MakeUser, running_bridge: RunningBridge, world: World
) -> None:
    contact_id, _, _ = await customer_card(services, make_user)
    world.phones.plans.update({"1001": AnswerPlan(answer_after=1), "1002": talk(3, 1)})
    dialog = await world.carrier.call("1001", CUSTOMER, CUSTOMER_NAME)
    await asyncio.wait_for(dialog.answered.wait(), 15)
    await asyncio.sleep(3)
    await world.blind_transfer("1001", "1002")
    await asyncio.wait_for(dialog.ended.wait(), 30)
    call = await finished_call(services, contact_id, recordings=2)
    first, second = await services.recordings.list_for_call(SYSTEM, call.id)
    assert first.started_at < second.started_at
    assert all(r.duration_seconds and r.duration_seconds > 1 for r in (first, second))
