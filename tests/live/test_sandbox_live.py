"""End to end against the sandbox Asterisk: the simulated caller speaks a known sentence
(espeak-ng as the carrier's RTP), agent 1001 answers in queue sales, the bridge asks Asterisk for
a read-only copy of each side (ChanSpy + AudioSocket), decodes it as it comes, and the caller's
key words arrive on the agent's /ws/agent while the call is still up; a keyword rule flags the
call during it. A decoder killed mid-call: the call stays up, a "stopped" frame arrives."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection

from crm_core.models.enums import Role
from crm_core.services import Services
from crm_core.services.dto import Actor, CallFilter, ContactCreate, PhoneIn
from crm_core.services.dto.transcripts import KeywordRuleCreate, RuleSpeaker
from crm_core.services.transcript_access import keyword_rules_of, transcripts_of
from crm_core.settings import CrmSettings
from cti.live.runtime import LiveTranscripts
from cti.sandbox.manager import ConnectionInfo
from cti.sandbox.settings import SandboxSettings
from cti.sandbox.sim.scenario_kit import talk
from cti.sandbox.sim.world import open_world
from cti.sandbox.sip.calls import NO_ANSWER
from cti.transcripts.wav import read_pcm16
from tests.fixtures.bridge import (
    agent_socket,
    bridge_settings,
    next_message,
    serve_bridge,
    wait_until,
)
from tests.fixtures.db import LoginAs
from tests.transcripts.spoken import CALLER_SENTENCE, speak

pytestmark = [pytest.mark.asterisk]
SYSTEM = Actor.system()
CLIENT = "+420777300401"
SALES = "100"
KEY_WORDS = ("invoice", "wrong", "refund")
"""The sentence's words that carry it; pocketsphinx hears some of them (bench/transcripts.py)."""


@pytest.fixture(autouse=True)
def live_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CTI_LIVE_TRANSCRIPT", "true")
    monkeypatch.setenv("CTI_LIVE_LISTEN_PORT", "0")


async def _frames(websocket: ClientConnection, into: list[dict[str, Any]]) -> None:
    while True:
        into.append(await next_message(websocket, timeout=120))


def _live(running_live: LiveTranscripts | None) -> LiveTranscripts:
    assert running_live is not None, "CTI_LIVE_TRANSCRIPT=true did not start the live transcript"
    return running_live


async def test_the_callers_words_arrive_on_the_agents_socket_before_the_call_ends(
    services: Services, login_as: LoginAs, crm_settings: CrmSettings, asterisk: ConnectionInfo,
    tmp_path: Path,
) -> None:  # fmt: skip
    agent = await login_as(Role.AGENT, extensions=["1001"])
    rules = keyword_rules_of(services)
    for word in KEY_WORDS:
        await rules.create(SYSTEM, KeywordRuleCreate(keyword=word, speaker=RuleSpeaker.CALLER))
    contact = await services.contacts.create(
        SYSTEM, ContactCreate(first_name="Eva", last_name="Živá", phones=[PhoneIn(number=CLIENT)])
    )
    samples, _rate = read_pcm16(speak(CALLER_SENTENCE, tmp_path / "sentence.wav"))
    frames: list[dict[str, Any]] = []
    async with serve_bridge(crm_settings, bridge_settings(asterisk), services) as running:
        live = _live(running.bridge.live)
        ws_url = running.url.replace("http://", "ws://") + "/ws/agent"
        async with agent_socket(ws_url, agent.token) as websocket:
            assert (await next_message(websocket))["type"] == "hello"
            reading = asyncio.create_task(_frames(websocket, frames))
            async with open_world(SandboxSettings.from_env(), stub_agi=False) as world:
                world.phones.plans.update({"1001": talk(60, answer_after=1),
                                           "1002": NO_ANSWER, "1003": NO_ANSWER})  # fmt: skip
                await world.wait_idle()
                dialog = await world.carrier.call(SALES, CLIENT, "Eva Ziva")
                tracker = running.bridge.tracker
                await wait_until(lambda: tracker.agent_calls("1001").active, 30, "1001 to answer")
                await wait_until(lambda: _connected(live) == 2, 20, "both sides' audio copies")
                assert dialog.media is not None
                said_for = dialog.media.say(samples)
                await asyncio.sleep(said_for)

                def heard() -> list[str]:
                    return [w for w in KEY_WORDS if w in _words(frames, "caller")]

                try:
                    await wait_until(heard, 20, f"one of {KEY_WORDS} on /ws/agent")
                except AssertionError as exc:
                    raise AssertionError(f"{exc}; heard {_words(frames, 'caller')}") from None
                # still on: the words came during the call
                assert tracker.agent_calls("1001").active
                calls = await services.calls.list(SYSTEM, CallFilter(contact_id=contact.id))
                call_id = calls.items[0].id
                flagged = await _flags_within(services, call_id, 15)
                await world.carrier.hang_up(dialog)
                await world.wait_idle(20)
            reading.cancel()
        await running.bridge.pipeline.drain()
        await wait_until(lambda: not live.calls, 15, "the live streams to end with the call")
    lines = [f for f in frames if f["type"] == "live_transcript"]
    assert {f["speaker"] for f in lines} == {"caller"}  # the agent's phone sent no audio
    assert all(f["linkedid"] == lines[0]["linkedid"] and f["agent"] == "1001" for f in lines)
    assert any(not f["final"] for f in lines)
    assert any(f["final"] for f in lines)
    # the caller's copy ran to the end of the call; the agent's (a phone that sends no audio)
    # was once seen to end mid-call on a loaded machine, said as stream_failed (README)
    stops = [f for f in frames if f["type"] == "live_transcript_stopped"]
    assert [(f["speaker"], f["reason"]) for f in stops] in ([], [("agent", "stream_failed")])
    assert flagged
    assert {flag.keyword for flag in flagged} <= set(KEY_WORDS)
    assert {flag.keyword for flag in flagged} <= _words(frames, "caller")
    assert {flag.speaker for flag in flagged} == {"caller"}
    ended = (await services.calls.list(SYSTEM, CallFilter(contact_id=contact.id))).items
    assert [(c.disposition, c.answered_by) for c in ended] == [("answered", "1001")]


async def test_a_decoder_killed_mid_call_leaves_the_call_up_and_says_the_transcript_stopped(
    services: Services, login_as: LoginAs, crm_settings: CrmSettings, asterisk: ConnectionInfo,
) -> None:  # fmt: skip
    agent = await login_as(Role.AGENT, extensions=["1001"])
    frames: list[dict[str, Any]] = []
    async with serve_bridge(crm_settings, bridge_settings(asterisk), services) as running:
        live = _live(running.bridge.live)
        ws_url = running.url.replace("http://", "ws://") + "/ws/agent"
        async with agent_socket(ws_url, agent.token) as websocket:
            assert (await next_message(websocket))["type"] == "hello"
            reading = asyncio.create_task(_frames(websocket, frames))
            async with open_world(SandboxSettings.from_env(), stub_agi=False) as world:
                world.phones.plans.update({"1001": talk(60, answer_after=1),
                                           "1002": NO_ANSWER, "1003": NO_ANSWER})  # fmt: skip
                await world.wait_idle()
                dialog = await world.carrier.call(SALES, CLIENT, "Eva Ziva")
                tracker = running.bridge.tracker
                await wait_until(lambda: tracker.agent_calls("1001").active, 30, "1001 to answer")
                await wait_until(lambda: _connected(live) == 2, 20, "both sides' audio copies")
                (call,) = live.calls.values()
                caller = call.streams["caller"]
                assert caller.pid is not None
                os.kill(caller.pid, signal.SIGKILL)

                def stopped() -> list[dict[str, Any]]:
                    return [f for f in frames if f["type"] == "live_transcript_stopped"]

                await wait_until(stopped, 15, "the stopped frame")
                await asyncio.sleep(2)  # the spy's Local pair hangs up meanwhile
                assert tracker.agent_calls("1001").active, "the call went down with its copy"
                await world.carrier.hang_up(dialog)
                await world.wait_idle(20)
            reading.cancel()
        await running.bridge.pipeline.drain()
    (frame,) = stopped()
    said = (frame["speaker"], frame["reason"], frame["agent"])
    assert said == ("caller", "decoder_failed", "1001")
    ended = (await services.calls.list(SYSTEM, CallFilter())).items
    assert [(c.disposition, c.answered_by) for c in ended] == [("answered", "1001")]
    assert (ended[0].talk_seconds or 0) >= 2


def _connected(live: LiveTranscripts) -> int:
    return sum(stream.connected for call in live.calls.values() for stream in call.streams.values())


def _words(frames: list[dict[str, Any]], speaker: str) -> set[str]:
    return {
        word
        for f in frames
        if f["type"] == "live_transcript" and f["speaker"] == speaker
        for word in f["text"].split()
    }


async def _flags_within(services: Services, call_id: int, seconds: float) -> list[Any]:
    deadline = time.monotonic() + seconds
    while True:
        flags = (await transcripts_of(services).of_call(SYSTEM, call_id)).flags
        if flags or time.monotonic() > deadline:
            return flags
        await asyncio.sleep(0.5)
