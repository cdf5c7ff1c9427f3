"""The live transcript's runtime with Asterisk's side played over real TCP (fake_asterisk.py):
the watch sees an agent's conversation, the runtime asks for both sides' copies (the Originate
it sends is the one the sandbox test proves against Asterisk), the decoding child processes
read the caller's espeak-ng sentence as it comes, and its words go to the agent's topic and the
supervisors' before the audio ends; a keyword rule flags the call and alerts supervisors once.
A decoder killed mid-call: a "stopped" frame, the copy's connection closed (Asterisk would hang
up the spy, never the call). Past CTI_LIVE_MAX_CALLS: a "capacity" frame and no copies."""

from __future__ import annotations

import asyncio
import os
import signal
import time
import wave
from collections.abc import AsyncIterator
from typing import Any

import pytest

from crm_core.services import Services
from crm_core.services.dto import Actor
from crm_core.services.dto.transcripts import KeywordRuleCreate
from crm_core.services.transcript_access import keyword_rules_of, transcripts_of
from cti.ami.metrics import Counters
from cti.bus.base import SUPERVISOR_ALERTS_TOPIC, SUPERVISOR_LIVE_TOPIC, Message, agent_topic
from cti.bus.memory import MemoryBus
from cti.live.runtime import LiveTranscripts
from cti.live.settings import LiveSettings
from cti.state.config import DEFAULT_AGENT_REGEX
from cti.state.events import AmiEvent
from tests.crm_core.conftest import call_record
from tests.fixtures.bridge import wait_until
from tests.live.fake_asterisk import FakeAsterisk
from tests.transcripts.spoken import CALLER_SENTENCE, speak

SYSTEM = Actor.system()
AGENT_CHANNEL, CALLER_CHANNEL = "PJSIP/1001-00000007", "PJSIP/trunk-00000006"


@pytest.fixture(scope="module")
def sentence(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = speak(CALLER_SENTENCE, tmp_path_factory.mktemp("live") / "s.wav", pause_seconds=0.5)
    with wave.open(str(path)) as reader:
        audio: bytes = reader.readframes(reader.getnframes())
    return audio + bytes(16_000)  # and 1 s of silence


def _event(name: str, **headers: str) -> AmiEvent:
    return AmiEvent.from_headers({"Event": name, **headers}, time.time())


def talking(linkedid: str, n: int = 7) -> list[AmiEvent]:
    caller, agent = f"PJSIP/trunk-0000000{n - 1}", f"PJSIP/1001-0000000{n}"
    bridge = f"bridge-{linkedid}"
    return [
        _event("BridgeEnter", BridgeUniqueid=bridge, Channel=caller, Uniqueid=f"{linkedid}.1",
               Linkedid=linkedid),
        _event("BridgeEnter", BridgeUniqueid=bridge, Channel=agent, Uniqueid=f"{linkedid}.2",
               Linkedid=linkedid),
    ]  # fmt: skip


def hangup(linkedid: str) -> AmiEvent:
    return _event("Hangup", Uniqueid=f"{linkedid}.2", Channel=AGENT_CHANNEL, Linkedid=linkedid)


class Topics:
    def __init__(self) -> None:
        self.frames: list[tuple[float, str, Message]] = []

    def of(self, topic: str, kind: str | None = None) -> list[Message]:
        return [m for _at, t, m in self.frames if t == topic and kind in (None, m["type"])]


@pytest.fixture
async def bus() -> AsyncIterator[tuple[MemoryBus, Topics]]:
    bus, topics = MemoryBus(), Topics()
    subscription = await bus.subscribe(
        {agent_topic("1001"), SUPERVISOR_LIVE_TOPIC, SUPERVISOR_ALERTS_TOPIC}
    )

    async def read() -> None:
        async for topic, message in subscription:
            topics.frames.append((time.monotonic(), topic, message))

    task = asyncio.create_task(read())
    yield bus, topics
    task.cancel()
    await subscription.close()


def connected(live: LiveTranscripts) -> int:
    return sum(s.connected for call in live.calls.values() for s in call.streams.values())


def stopped_frames(topics: Topics) -> list[Message]:
    return topics.of(agent_topic("1001"), "live_transcript_stopped")


async def _live(
    services: Services, bus: MemoryBus, asterisk: FakeAsterisk, **settings: Any
) -> LiveTranscripts:
    live = LiveTranscripts(
        LiveSettings(transcript=True, listen_port=0, **settings), DEFAULT_AGENT_REGEX, asterisk,
        bus, keyword_rules_of(services), services.calls.get, Counters(),
    )  # fmt: skip
    await live.start()
    return live


async def test_the_callers_words_come_before_the_audio_ends_and_a_keyword_fires_once(
    services: Services, bus: tuple[MemoryBus, Topics], sentence: bytes
) -> None:
    memory, topics = bus
    await services.calls.register(SYSTEM, call_record("live.1", answered_by="1001"))
    await keyword_rules_of(services).create(SYSTEM, KeywordRuleCreate(keyword="need"))
    await keyword_rules_of(services).create(SYSTEM, KeywordRuleCreate(keyword="nothing said"))
    said = {CALLER_CHANNEL: sentence + sentence}  # the sentence twice: the rule fires once
    silence = bytes(len(said[CALLER_CHANNEL]))  # the agent listens as long as the call lasts
    asterisk = FakeAsterisk(lambda channel: said.get(channel, silence))
    live = await _live(services, memory, asterisk)
    try:
        for event in talking("live.1"):
            live.observe(event)
        await wait_until(lambda: len(asterisk.sent) == 2, 10, "both copies asked for")
        caller = next(s for s in asterisk.sent if s.channel == CALLER_CHANNEL)
        await asyncio.wait_for(caller.done.wait(), 60)
        live.observe(hangup("live.1"))
        await wait_until(lambda: not live.calls, 90, "the streams to end")
    finally:
        await live.stop()
        await asterisk.close()
    spied = sorted(a["Data"] for a in asterisk.actions)
    assert spied == [f"{AGENT_CHANNEL},qEo", f"{CALLER_CHANNEL},qEo"]
    assert {a["Channel"] for a in asterisk.actions} == {"Local/s@cti-live-audio/n"}
    lines = topics.of(agent_topic("1001"), "live_transcript")
    assert lines, "no live line reached the agent's topic"
    assert {m["speaker"] for m in lines} == {"caller"}  # the agent's side was silence
    assert topics.of(SUPERVISOR_LIVE_TOPIC, "live_transcript") == lines
    first_word = next(at for at, t, m in topics.frames if m["type"] == "live_transcript")
    assert first_word < caller.finished_at, "the first words came only after the audio ended"
    assert [m for m in lines if not m["final"]], "no partial line"
    finals = [m for m in lines if m["final"]]
    assert finals
    assert all(m["end_ms"] > m["start_ms"] >= 0 for m in finals)
    alerts = topics.of(SUPERVISOR_ALERTS_TOPIC, "keyword_alert")
    heard_need = any("need" in m["text"].split() for m in finals)
    assert len(alerts) == (1 if heard_need else 0)
    if heard_need:
        (alert,) = alerts
        assert alert["live"] is True
        assert alert["keywords"] == ["need"]
        assert alert["agent"] == "1001"
        call_id = alert["call_id"]
        flags = (await transcripts_of(services).of_call(SYSTEM, call_id)).flags
        assert [(f.keyword, f.speaker) for f in flags] == [("need", "caller")]
    assert not topics.of(agent_topic("1001"), "live_transcript_stopped")


async def test_a_killed_decoder_says_the_transcript_stopped_and_closes_the_copy(
    services: Services, bus: tuple[MemoryBus, Topics], sentence: bytes
) -> None:
    memory, topics = bus
    asterisk = FakeAsterisk(lambda _channel: sentence * 10, hang_up=False)
    live = await _live(services, memory, asterisk, max_calls=1)
    try:
        for event in talking("live.2"):
            live.observe(event)
        await wait_until(lambda: connected(live) == 2, 10, "both sides connected")
        (call,) = live.calls.values()
        pid = call.streams["caller"].pid
        assert pid is not None
        for event in talking("live.3", n=9):  # a second call past the cap of one
            live.observe(event)
        os.kill(pid, signal.SIGKILL)
        caller = next(s for s in asterisk.sent if s.channel == CALLER_CHANNEL)
        await asyncio.wait_for(caller.done.wait(), 15)
        assert caller.closed_by_bridge
        await wait_until(lambda: len(stopped_frames(topics)) == 2, 10, "two stopped frames")
        stopped = stopped_frames(topics)
        by_call = {(m["linkedid"], m["speaker"], m["reason"]) for m in stopped}
        assert by_call == {("live.3", None, "capacity"), ("live.2", "caller", "decoder_failed")}
        assert len(asterisk.sent) == 2  # no copy for the call past the cap
        assert set(call.streams) == {"agent"}  # the other side goes on
    finally:
        await live.stop()
        await asterisk.close()


async def test_a_copy_that_ends_while_the_call_is_up_says_the_transcript_stopped(
    services: Services, bus: tuple[MemoryBus, Topics]
) -> None:
    memory, topics = bus
    asterisk = FakeAsterisk(lambda _channel: bytes(16_000))  # 1 s, then Asterisk hangs it up
    live = await _live(services, memory, asterisk)
    try:
        for event in talking("live.4"):
            live.observe(event)
        await wait_until(lambda: len(stopped_frames(topics)) == 2, 20, "two stopped frames")
        await wait_until(lambda: not live.calls, 10, "nothing left running for the call")
    finally:
        await live.stop()
        await asterisk.close()
    stopped = {(m["speaker"], m["reason"]) for m in stopped_frames(topics)}
    assert stopped == {("caller", "stream_failed"), ("agent", "stream_failed")}
    assert all(m["detail"] == "the audio stream hangup" for m in stopped_frames(topics))
