"""The live transcript at run time: the watch's conversations become two AudioSocket streams
each (agent, caller), each decoded in its own child process, whose lines go to the agent's
`/ws/agent` and to supervisors while the call goes on; keyword rules fire on them.

Nothing here is on the AMI reader's path: `observe` (inline, pure) only queues what the watch
saw; one task of its own asks Asterisk for the streams (AMI Originate of a Local channel whose
;1 half runs a read-only ChanSpy, ;2 half AudioSocket), the server reads them, child processes
decode them. Asterisk's copy of the audio is a spy's: whatever fails here, the call goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sys
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from crm_core.services.dto import Actor, CallOut
from crm_core.services.dto.transcripts import FlagOut, KeywordRuleOut
from crm_core.services.keyword_rules import says
from cti.agents.actions import send_checked
from cti.agents.feed import ActionSender
from cti.ami.metrics import Counters
from cti.bus.base import SUPERVISOR_ALERTS_TOPIC, SUPERVISOR_LIVE_TOPIC, Bus, agent_topic
from cti.live import decode_child
from cti.live.audiosocket import AudioSocketServer, StreamEnd, StreamSink
from cti.live.frames import Speaker, StopReason, live_line, live_stopped
from cti.live.settings import LiveSettings
from cti.live.watch import HungUp, LiveNote, LiveWatch, Talking
from cti.state.events import AmiEvent, Resync
from cti.transcripts.alerts import keyword_alert

log = logging.getLogger(__name__)
CHILD = Path(decode_child.__file__)
CONNECT_WITHIN = 10.0
"""Seconds Asterisk has to connect a stream it was asked for before it counts as failed."""
END_GRACE = 10.0
"""A copy that ends while the call is still up this long after is a failure (the call's own
Hangup events come through the AMI reader and the pipeline: on a loaded machine, seconds late)."""
RULES_FRESH_SECONDS = 30.0
NOTES_HELD = 1000
SYSTEM = Actor.system("live-transcript")


class KeywordRules(Protocol):
    async def enabled_rules(self) -> list[KeywordRuleOut]: ...

    async def flag_live(
        self, linkedid: str, rule_ids: list[int], speaker: str, start_ms: int, text: str
    ) -> tuple[int, list[FlagOut]] | None: ...


CallOf = Callable[[Actor, int], Any]


@dataclass
class _Call:
    talking: Talking
    streams: dict[Speaker, LiveStream] = field(default_factory=dict)
    flagged: set[int] = field(default_factory=set)
    hung_up: bool = False
    over: asyncio.Event = field(default_factory=asyncio.Event)


class LiveTranscripts:
    def __init__(
        self, settings: LiveSettings, agent_channel_regex: str, ami: ActionSender, bus: Bus,
        rules: KeywordRules | None, call_of: CallOf | None, metrics: Counters,
    ) -> None:  # fmt: skip
        self.settings = settings
        self.watch = LiveWatch(agent_channel_regex)
        self._ami, self._bus, self._rules, self._call_of = ami, bus, rules, call_of
        self.metrics = metrics
        self.server = AudioSocketServer(settings.listen_host, settings.listen_port, self._sink)
        self._notes: asyncio.Queue[LiveNote] = asyncio.Queue(maxsize=NOTES_HELD)
        self._task: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self.calls: dict[str, _Call] = {}  # agent channel's uniqueid -> the call's streams
        self._streams: dict[uuid.UUID, LiveStream] = {}
        self._rule_cache: list[KeywordRuleOut] = []
        self._rules_at = -RULES_FRESH_SECONDS

    # --- inline, on the AMI reader's task: cheap and never blocking
    def observe(self, item: AmiEvent | Resync) -> None:
        for note in self.watch.apply(item):
            try:
                self._notes.put_nowait(note)
            except asyncio.QueueFull:
                self.metrics.inc("live.notes_dropped")

    # --- its own task
    async def start(self) -> None:
        await self.server.start()
        self._task = asyncio.create_task(self._run(), name="live-transcripts")
        log.info("live transcripts: AudioSocket server on %s:%s, at most %d calls at once",
                 self.settings.listen_host, self.server.port, self.settings.max_calls)  # fmt: skip

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        for stream in list(self._streams.values()):
            await stream.close()
        await self.server.stop()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    @property
    def target(self) -> str:
        return self.settings.server or f"{self.settings.listen_host}:{self.server.port}"

    def status(self) -> dict[str, Any]:
        return {"calls": len(self.calls), "streams": len(self._streams), "server": self.target}

    async def _run(self) -> None:
        while True:
            note = await self._notes.get()
            try:
                if isinstance(note, Talking):
                    if self.watch.is_talking(note.agent_uniqueid):  # not over while it waited
                        await self._begin(note)
                elif isinstance(note, HungUp):
                    self._hung_up(note.agent_uniqueid)
            except Exception:
                self.metrics.inc("live.errors")
                log.exception("live transcripts: %s failed", note)

    async def _begin(self, talking: Talking) -> None:
        if len(self.calls) >= self.settings.max_calls:
            self.metrics.inc("live.refused_capacity")
            await self.publish(talking, live_stopped(
                talking.linkedid, talking.extension, None, "capacity",
                f"{self.settings.max_calls} calls are transcribed live already",
            ))  # fmt: skip
            return
        call = _Call(talking)
        self.calls[talking.agent_uniqueid] = call
        sides: tuple[tuple[Speaker, str], ...] = (
            ("caller", talking.caller_channel), ("agent", talking.agent_channel),
        )  # fmt: skip
        for speaker, channel in sides:
            stream = LiveStream(self, call, speaker)
            call.streams[speaker] = stream
            self._streams[stream.id] = stream
            try:
                await stream.start_decoder()
            except OSError as exc:
                await stream.fail("not_started", f"the decoding process did not start: {exc}")
                continue
            try:
                await send_checked(self._ami, self.originate(stream.id, channel))
            except Exception as exc:
                await stream.fail("not_started", f"Asterisk refused the audio copy: {exc}")
                continue
            self.metrics.inc("live.streams_started")
            self.spawn(stream.expect_connection())

    def originate(self, stream: uuid.UUID, channel: str) -> dict[str, str]:
        """A Local pair: ;1 spies on `channel` read-only (q quiet, E ends with it, o only what it
        sends: one speaker), ;2 sends what ;1 hears to our AudioSocket server."""
        return {
            "Action": "Originate",
            "Channel": f"Local/s@{self.settings.context}/n",
            "Application": "ChanSpy",
            "Data": f"{channel},qEo",
            "Variable": f"CTI_LIVE_ID={stream},CTI_LIVE_SERVER={self.target}",
            "CallerID": '"live transcript" <live>',
            "Async": "true",
        }

    def _hung_up(self, agent_uniqueid: str) -> None:
        call = self.calls.get(agent_uniqueid)
        if call is None:
            return
        call.hung_up = True
        call.over.set()
        for stream in list(call.streams.values()):
            if not stream.connected:  # never connected: nothing more will come
                self.spawn(stream.close())

    def _sink(self, stream_id: uuid.UUID) -> StreamSink | None:
        stream = self._streams.get(stream_id)
        return stream if stream is not None and not stream.done else None

    def forget(self, stream: LiveStream) -> None:
        self._streams.pop(stream.id, None)
        call = stream.call
        if call.streams.get(stream.speaker) is stream:
            del call.streams[stream.speaker]
        if not call.streams:
            self.calls.pop(call.talking.agent_uniqueid, None)

    def talking(self, call: _Call) -> bool:
        return not call.hung_up and self.watch.is_talking(call.talking.agent_uniqueid)

    def spawn(self, coro: Any) -> None:
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def publish(self, talking: Talking, frame: Mapping[str, Any]) -> None:
        message = dict(frame)
        await self._bus.publish(agent_topic(talking.extension), message)
        await self._bus.publish(SUPERVISOR_LIVE_TOPIC, message)

    async def line(self, stream: LiveStream, line: dict[str, Any]) -> None:
        talking = stream.call.talking
        await self.publish(talking, live_line(talking.linkedid, talking.extension,
                                              stream.speaker, line))  # fmt: skip
        self.metrics.inc(f"live.lines.{line['kind']}")
        if line["kind"] == "final" and line["text"]:
            await self._match(stream, line)

    async def _match(self, stream: LiveStream, line: dict[str, Any]) -> None:
        """Keyword rules on a finished line: each flags the call and tells supervisors once."""
        if self._rules is None:
            return
        call, text = stream.call, str(line["text"])
        rules = await self._current_rules()
        hits = [
            rule.id for rule in rules
            if rule.id not in call.flagged and says(rule.keyword, rule.speaker.value,
                                                    stream.speaker, text)
        ]  # fmt: skip
        if not hits:
            return
        call.flagged.update(hits)
        start_ms = round(1000 * float(line["start"]))
        found = await self._rules.flag_live(call.talking.linkedid, hits, stream.speaker,
                                            start_ms, text)  # fmt: skip
        if found is None:
            log.warning("live transcripts: call %s not written yet; keyword not flagged",
                        call.talking.linkedid)  # fmt: skip
            return
        call_id, flags = found
        if not flags or self._call_of is None:
            return
        record: CallOut = await self._call_of(SYSTEM, call_id)
        alert = keyword_alert(record, flags) | {"live": True}
        if not alert["agent"]:
            alert["agent"] = call.talking.extension
        await self._bus.publish(SUPERVISOR_ALERTS_TOPIC, alert)
        self.metrics.inc("live.keyword_alerts")

    async def _current_rules(self) -> list[KeywordRuleOut]:
        assert self._rules is not None
        if time.monotonic() - self._rules_at >= RULES_FRESH_SECONDS:
            self._rule_cache = await self._rules.enabled_rules()
            self._rules_at = time.monotonic()
        return self._rule_cache


class LiveStream(StreamSink):
    """One side of one call: Asterisk's AudioSocket connection in, a decoding process, lines out."""

    def __init__(self, live: LiveTranscripts, call: _Call, speaker: Speaker) -> None:
        self.live, self.call, self.speaker = live, call, speaker
        self.id = uuid.uuid4()
        self.connected = False
        self.done = False
        self._failed = False
        self._ended_input = False
        self._proc: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None
        self._disconnect: Callable[[], None] | None = None
        self._limit = int(live.settings.backlog_seconds * 2 * decode_child.SOURCE_RATE)

    async def start_decoder(self) -> None:
        self._proc = await asyncio.create_subprocess_exec(
            sys.executable, str(CHILD), stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        self._reader = asyncio.create_task(self._read(self._proc))

    @property
    def pid(self) -> int | None:
        return None if self._proc is None else self._proc.pid

    # --- the AudioSocket server's side (event loop callbacks)
    def attach(self, disconnect: Callable[[], None]) -> None:
        self.connected = True
        self._disconnect = disconnect

    def audio(self, pcm: bytes) -> None:
        proc = self._proc
        if self.done or self._ended_input or proc is None or proc.stdin is None:
            return
        if proc.stdin.transport.get_write_buffer_size() > self._limit:
            self._end_input()  # once: no more audio for it, then the stop is said
            self.live.spawn(self.fail("fell_behind", "the decoder could not keep up"))
            return
        proc.stdin.write(pcm)

    def ended(self, end: StreamEnd) -> None:
        self._end_input()
        if not self._failed:
            self.live.spawn(self._judge(end))

    async def _judge(self, end: StreamEnd) -> None:
        """The audio ended: at the call's end, that is all; while it goes on, a failure."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.call.over.wait(), END_GRACE)
        if self.live.talking(self.call):
            await self.fail("stream_failed", end.detail or f"the audio stream {end.how}")

    async def expect_connection(self) -> None:
        await asyncio.sleep(CONNECT_WITHIN)
        if not self.connected and not self.done and self.live.talking(self.call):
            await self.fail("not_started", "Asterisk did not send the audio")

    # --- the decoder's side
    async def _read(self, proc: asyncio.subprocess.Process) -> None:
        assert proc.stdout is not None
        async for raw in proc.stdout:
            try:
                line = json.loads(raw)
            except ValueError:
                continue
            if line.get("kind") in ("partial", "final"):
                try:
                    await self.live.line(self, line)
                except Exception:
                    self.live.metrics.inc("live.errors")
                    log.exception("live transcripts: a line of %s could not be sent", self.id)
        code = await proc.wait()
        if not self._ended_input and not self.done:
            await self.fail("decoder_failed", f"the decoding process ended (exit code {code})")
        else:
            self._finish()

    def _end_input(self) -> None:
        if self._ended_input:
            return
        self._ended_input = True
        proc = self._proc
        if proc is not None and proc.stdin is not None and not proc.stdin.is_closing():
            proc.stdin.close()

    async def fail(self, reason: StopReason, detail: str) -> None:
        """Said once, even when the decoder had finished meanwhile (the copy ended while the
        call is up: the page must know the transcript stopped)."""
        if self._failed:
            return
        self._failed = True
        self.live.metrics.inc(f"live.stopped.{reason}")
        log.warning("live transcript of %s (%s) stopped: %s", self.call.talking.linkedid,
                    self.speaker, detail)  # fmt: skip
        talking = self.call.talking
        await self.live.publish(talking, live_stopped(talking.linkedid, talking.extension,
                                                      self.speaker, reason, detail))  # fmt: skip
        await self.close()

    async def close(self) -> None:
        """Asterisk's connection closed (its Local pair hangs up, the spy ends), the decoder
        ended; the call is not touched."""
        self._end_input()
        if self._disconnect is not None:
            self._disconnect()
        proc = self._proc
        if proc is not None and proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
        if self._reader is not None and self._reader is not asyncio.current_task():
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(asyncio.shield(self._reader), 5)
        self._finish()

    def _finish(self) -> None:
        self.done = True
        self.live.forget(self)
