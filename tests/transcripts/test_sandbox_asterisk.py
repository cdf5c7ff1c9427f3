"""End to end against the sandbox Asterisk with the offline engine: the simulated caller speaks a
known English sentence (espeak-ng, sent as the carrier's RTP instead of its tone), agent 1001
answers, MixMonitor records the call, the recordings log sees it complete, the worker
transcribes it with pocketsphinx, the card in Chromium shows the sentence's key words and the
search finds the call by one of them. Word accuracy is bench/transcripts.py's, not asserted."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from crm_core.models.enums import Role
from crm_core.services import Services
from crm_core.services.dto import Actor, CallFilter, ContactCreate, PhoneIn
from crm_core.services.dto.transcripts import TranscriptOut
from crm_core.services.transcript_access import transcripts_of
from crm_core.settings import CrmSettings
from cti.sandbox.manager import ConnectionInfo, Sandbox
from cti.sandbox.settings import SandboxSettings
from cti.sandbox.sim.scenario_kit import talk
from cti.sandbox.sim.world import open_world
from cti.sandbox.sip.calls import NO_ANSWER
from cti.transcripts.wav import read_pcm16
from tests.fixtures.bridge import bridge_settings, serve_bridge, wait_until
from tests.fixtures.browser import WEB_DB
from tests.fixtures.db import MakeUser
from tests.transcripts.spoken import CALLER_KEY_WORDS, CALLER_SENTENCE, speak

pytestmark = [pytest.mark.asterisk, pytest.mark.browser, WEB_DB]
SYSTEM = Actor.system()
CLIENT = "+420777300400"
SALES = "100"
TRANSCRIBED_WITHIN = 180.0


def sandbox_monitor_dir() -> Path:
    """Where the sandbox's MixMonitor writes (Asterisk's monitor directory inside the chroot)."""
    return Sandbox(SandboxSettings.from_env()).layout.root / "var/spool/asterisk/monitor"


@pytest.fixture
def crm_settings(crm_settings: CrmSettings) -> CrmSettings:
    return crm_settings.model_copy(update={"recordings_dir": sandbox_monitor_dir()})


async def _transcribed(services: Services, call_id: int) -> TranscriptOut:
    deadline = time.monotonic() + TRANSCRIBED_WITHIN
    while True:
        transcript = await transcripts_of(services).of_call(SYSTEM, call_id)
        if transcript.state in ("done", "failed") or time.monotonic() > deadline:
            return transcript
        await asyncio.sleep(1)


async def test_the_callers_sentence_is_transcribed_on_the_card_and_found(
    page: Page, services: Services, make_user: MakeUser, crm_settings: CrmSettings,
    asterisk: ConnectionInfo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:  # fmt: skip
    monkeypatch.setenv("CTI_RECORDING_SWEEP_SECONDS", "1")  # a file closed late is seen soon
    user, password = await make_user(Role.AGENT, extensions=["1001"])
    contact = await services.contacts.create(
        SYSTEM, ContactCreate(first_name="Iva", last_name="Malá", phones=[PhoneIn(number=CLIENT)])
    )
    samples, _rate = read_pcm16(speak(CALLER_SENTENCE, tmp_path / "sentence.wav"))
    async with serve_bridge(crm_settings, bridge_settings(asterisk), services) as running:
        async with open_world(SandboxSettings.from_env(), stub_agi=False) as world:
            world.phones.plans.update({"1001": talk(30, answer_after=1),
                                       "1002": NO_ANSWER, "1003": NO_ANSWER})  # fmt: skip
            await world.wait_idle()
            dialog = await world.carrier.call(SALES, CLIENT, "Iva Mala")
            tracker = running.bridge.tracker
            await wait_until(lambda: tracker.agent_calls("1001").active, 30, "1001 to answer")
            await asyncio.sleep(0.5)  # MixMonitor's `b`: recording from the bridge on
            assert dialog.media is not None
            await asyncio.sleep(dialog.media.say(samples) + 1.5)
            await world.carrier.hang_up(dialog)
            await world.wait_idle(20)
        await running.bridge.pipeline.drain()
        calls = (await services.calls.list(SYSTEM, CallFilter(contact_id=contact.id))).items
        assert [(c.disposition, c.answered_by) for c in calls] == [("answered", "1001")]
        transcript = await _transcribed(services, calls[0].id)
        assert transcript.state == "done", transcript.error
        said = " ".join(line.text for line in transcript.lines).split()
        heard = [word for word in CALLER_KEY_WORDS if word in said]
        assert heard, f"none of {CALLER_KEY_WORDS} in {said}"
        # the caller's side (MixMonitor's r() file); the agent's phone sent no audio: no lines
        assert {line.speaker for line in transcript.lines} == {"caller"}
        hits = await transcripts_of(services).search(SYSTEM, heard[0])
        assert calls[0].id in {hit.call_id for hit in hits}

        await page.goto(running.url)
        await page.get_by_label("Login").fill(user.login)
        await page.get_by_label("Password").fill(password)
        await page.get_by_role("button", name="Sign in").click()
        await page.get_by_role("searchbox").fill(heard[0])
        said_hits = page.get_by_test_id("said-results").locator(".said-hit")
        await expect(said_hits.first).to_contain_text(heard[0])
        await said_hits.first.click()
        card_transcript = page.locator(f"[data-testid=transcript][data-call-id='{calls[0].id}']")
        await card_transcript.locator("summary").click()
        await expect(card_transcript.locator(".tr-lines")).to_contain_text(heard[0])
