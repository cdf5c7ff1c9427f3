"""Voicemail end to end against the sandbox Asterisk: the simulated caller dials DID 350 (agent
1007's line: 8 s of ringing, then box 1007@default), speaks a sentence (espeak-ng into the
caller's RTP) and hangs up. The message lands on the caller's card through the bridge's spool
scan (MessageWaiting), linked to its call by the dialplan's VM_CATEGORY, with its duration and
audio (a Range request gets the file's bytes), and the caller has ONE call-back task, the box's
agent's; a rescan adds nothing. In Chromium the card shows it unheard; playing it marks it heard
(asserted through the API); the screenshot goes to the test's tmp_path (docs/voicemail-card.png
is tests/web/test_voicemail_page.py's)."""

from __future__ import annotations

import asyncio
import shutil
import time
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Page, expect
from sqlalchemy import select

from crm_core.models import Task, Voicemail
from crm_core.models.enums import Role
from crm_core.services import Services
from crm_core.services.dto import Actor, CallFilter, ContactCreate, PhoneIn
from crm_core.services.dto.voicemails import VoicemailOut
from crm_core.settings import CrmSettings
from cti.sandbox.manager import ConnectionInfo, Sandbox
from cti.sandbox.settings import SandboxSettings
from cti.sandbox.sim.world import open_world
from cti.sandbox.sip.calls import NO_ANSWER
from cti.transcripts.wav import read_pcm16
from tests.fixtures.bridge import bridge_settings, serve_bridge
from tests.fixtures.browser import WEB_DB
from tests.fixtures.db import MakeUser
from tests.transcripts.spoken import CALLER_SENTENCE, speak

pytestmark = [pytest.mark.asterisk, pytest.mark.browser, WEB_DB]
SYSTEM = Actor.system()
CLIENT = "+420777300455"
LINE, BOX = "350", "1007"
GREETING_WITHIN = 30.0  # VoiceMail() answers, plays the "unavailable" greeting (about 13 s), beeps


def sandbox_spool() -> Path:
    return Sandbox(SandboxSettings.from_env()).layout.root / "var/spool/asterisk/voicemail"


@pytest.fixture
def crm_settings(crm_settings: CrmSettings) -> CrmSettings:
    monitor = Sandbox(SandboxSettings.from_env()).layout.root / "var/spool/asterisk/monitor"
    return crm_settings.model_copy(
        update={"voicemail_dir": sandbox_spool(), "recordings_dir": monitor}
    )


def empty_box(spool: Path) -> None:
    """Messages earlier tests left in the box (the sandbox lock is ours for the session)."""
    for folder in ("INBOX", "Old", "Urgent"):
        shutil.rmtree(spool / "default" / BOX / folder, ignore_errors=True)


async def recording_started(spool: Path, within: float) -> None:
    """app_voicemail records into the box's tmp folder after the greeting and the beep."""
    deadline = time.monotonic() + within
    while not list((spool / "default" / BOX / "tmp").glob("*.wav")):
        assert time.monotonic() < deadline, "VoiceMail() did not start recording"
        await asyncio.sleep(0.2)


async def landed(services: Services, contact_id: int, within: float = 60) -> list[VoicemailOut]:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        found = await services.voicemails.list_for_contact(SYSTEM, contact_id)
        if found:
            return found
        await asyncio.sleep(0.5)
    return []


async def callbacks_of(services: Services, contact_id: int) -> list[Task]:
    async with services.sessions() as session:
        rows = await session.scalars(
            select(Task).where(Task.contact_id == contact_id, Task.kind == "callback")
        )
        return list(rows)


async def test_a_message_left_on_350_lands_on_the_card_plays_and_is_heard(
    page: Page, services: Services, make_user: MakeUser, crm_settings: CrmSettings,
    asterisk: ConnectionInfo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:  # fmt: skip
    monkeypatch.setenv("CTI_VOICEMAIL_SCAN_SECONDS", "30")  # MessageWaiting is what is fast
    agent, password = await make_user(Role.AGENT, extensions=[BOX])
    await make_user(Role.SUPERVISOR)  # the missed call's task goes here first (no card owner)
    contact = await services.contacts.create(
        SYSTEM, ContactCreate(first_name="Eva", last_name="Hlasová",
                              phones=[PhoneIn(number=CLIENT)]),
    )  # fmt: skip
    spool = crm_settings.voicemail_dir
    empty_box(spool)
    samples, _rate = read_pcm16(speak(CALLER_SENTENCE, tmp_path / "sentence.wav"))
    async with serve_bridge(crm_settings, bridge_settings(asterisk), services) as running:
        async with open_world(SandboxSettings.from_env(), stub_agi=False) as world:
            world.phones.plans[BOX] = NO_ANSWER
            await world.wait_idle()
            dialog = await world.carrier.call(LINE, CLIENT, "Eva Hlasova")
            await asyncio.wait_for(dialog.answered.wait(), 25)  # VoiceMail() answers
            await recording_started(spool, GREETING_WITHIN)
            assert dialog.media is not None
            await asyncio.sleep(dialog.media.say(samples) + 1.0)
            await world.carrier.hang_up(dialog)
            await asyncio.wait_for(dialog.ended.wait(), 10)
            await world.wait_idle(20)
        (message,) = await landed(services, contact.id)
        # Asterisk's MessageWaiting came through the AMI filter and woke the box's scan
        assert running.bridge.metrics.get("voicemail.message_waiting") >= 1
        calls = (await services.calls.list(SYSTEM, CallFilter(contact_id=contact.id))).items
        assert [(c.callee, c.disposition) for c in calls] == [(LINE, "missed")]
        assert message.call_id == calls[0].id  # linked by VM_CATEGORY's linkedid
        assert (message.mailbox, message.owner_id, message.heard) == (BOX, agent.id, False)
        assert message.external_e164 == CLIENT
        assert message.duration_seconds is not None
        assert message.duration_seconds >= 1.0
        (task,) = await callbacks_of(services, contact.id)  # the missed call's, now 1007's
        assert (task.id, task.assignee_id, task.call_id) == (message.task_id, agent.id, calls[0].id)
        again = await running.bridge.voicemail.scan()
        assert (again.added, again.waiting) == ([], 0)  # a rescan adds nothing
        assert len(await services.voicemails.list_for_contact(SYSTEM, contact.id)) == 1
        assert len(await callbacks_of(services, contact.id)) == 1

        stem = spool / await audio_file(services, message.id)
        token = (await services.users.login(agent.login, password)).access_token
        async with httpx.AsyncClient(base_url=running.url) as client:
            part = await client.get(
                f"/api/voicemails/{message.id}/audio",
                headers={"Authorization": f"Bearer {token}", "Range": "bytes=44-1043"},
            )
            assert part.status_code == 206
            assert part.headers["content-type"] == "audio/wav"
            assert part.content == stem.read_bytes()[44:1044]
            # a Range request is a listen too: set it back to unheard for the page
            back = await client.put(f"/api/voicemails/{message.id}/heard", json={"heard": False},
                                    headers={"Authorization": f"Bearer {token}"})  # fmt: skip
            assert back.json()["heard"] is False

        await page.goto(running.url)
        await page.get_by_label("Login").fill(agent.login)
        await page.get_by_label("Password").fill(password)
        await page.get_by_role("button", name="Sign in").click()
        await expect(page.get_by_test_id("current-user")).to_be_visible()
        await page.goto(f"{running.url}/#/contacts/{contact.id}")
        item = page.locator(f".vm-body[data-voicemail='{message.id}']")
        await expect(item).to_contain_text(f"Voicemail for {BOX}")
        await expect(item.locator(".vm-state")).to_have_text("New")
        await item.get_by_role("button", name="Play voicemail").click()
        player = item.locator(".rec-player")
        await player.get_by_role("button", name="Play").click()
        await page.wait_for_function(
            "() => document.querySelector('.vm-body .rec-player audio').currentTime > 0.5"
        )
        await player.get_by_role("button", name="Pause").click()
        await expect(item.locator(".vm-state")).to_have_text("heard")
        heard = await services.voicemails.get(SYSTEM, message.id)
        assert (heard.heard, heard.heard_by_id) == (True, agent.id)
        await item.scroll_into_view_if_needed()
        await page.screenshot(path=str(tmp_path / "voicemail-sandbox.png"), animations="disabled")


async def audio_file(services: Services, voicemail_id: int) -> str:
    """The message's audio file, relative to the spool, as its row keeps it."""
    async with services.sessions() as session:
        row = await session.get(Voicemail, voicemail_id)
        assert row is not None
        return row.audio_file
