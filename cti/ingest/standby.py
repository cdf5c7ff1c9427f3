"""Active or standby: what an ingest does while another holds the lease, and when it takes over.

A standby is hot: it is connected to AMI, its tracker follows every call (restored from the
state store at start, then the live events and each resync), the routing hook answers (routing
reads the database, it writes no call record). It writes nothing: its pipeline's stages
(`pops`, `calllog`, the agent and recording logs) accept nothing, the bus it publishes on is
muted, the telephony requests and the schedulers (call-backs, queue call-backs, webhooks) do
not run, and its fence holds no token, so a write that slipped through is refused anyway.
Meanwhile it keeps the records of the last calls that ended (`keep` of them, newest last).

Taking over (the lease acquired), in one tick of the event loop, before any further event:
the open calls' records as this tracker has them go to the call log (an upsert: the old active
may have written the same start), and the stages accept again. Then, the calls that ended
while this process was a standby and whose record the database does not show ended (the old
active died before writing them) are written; the others were written by the old active and
are not written twice. The state store writes every open call this tracker changed. When all
that is committed, `first_write_at` is set (bench/common/scale_takeover.py measures it).

Stepping down (the lease lost: its connection died, a ping timed out, or a write was refused by
the fence): the stages and the bus are closed at once, the duties stopped; the lease is tried
again every poll, as a standby.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cti.ami.metrics import Counters
from cti.bus.base import Bus, Message, Retain, Subscription
from cti.ingest.stage import Stage
from cti.state.records import (
    CallAnswered,
    CallEnded,
    CallEvent,
    CallRecord,
    CallRinging,
    CallStarted,
)  # fmt: skip
from cti.state.tracker import Tracker

log = logging.getLogger(__name__)
KEEP_ENDED = 5_000


@dataclass(frozen=True)
class Duty:
    """A part that runs only while this ingest is active."""

    name: str
    start: Callable[[], Awaitable[None] | None]
    stop: Callable[[], Awaitable[None]]


class Leadership:
    """`holding`: this process may write and publish now. Without a lease (one process,
    SQLite) it holds from the start and never changes."""

    def __init__(self, metrics: Counters, leased: bool, keep: int = KEEP_ENDED) -> None:
        self.metrics = metrics
        self.leased = leased
        self.holding = not leased
        self.token: int | None = None
        self.since: datetime | None = None
        self.first_write_at: datetime | None = None
        self.takeovers = 0
        self.step_downs = 0
        self._keep = keep
        self._ended: OrderedDict[str, CallRecord] = OrderedDict()
        self._duties: list[Duty] = []
        self._running: set[str] = set()
        self._lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()
        self._calllog: Stage[Sequence[CallEvent]] | None = None
        self._pops: Stage[Sequence[CallEvent]] | None = None
        self._ringing: Callable[[], dict[str, tuple[str, ...]]] = dict
        self._open_calls: Callable[[], list[CallRecord]] = list
        self._ended_among: Callable[[list[str]], Awaitable[set[str]]] | None = None
        self._settled: list[Callable[[], Awaitable[None]]] = []

    @property
    def role(self) -> str:
        return "active" if self.holding else "standby"

    def holds(self) -> bool:
        return self.holding

    def follow(
        self, calllog: Stage[Sequence[CallEvent]], open_calls: Callable[[], list[CallRecord]],
        ended_among: Callable[[list[str]], Awaitable[set[str]]],
        settled: Sequence[Callable[[], Awaitable[None]]],
    ) -> None:  # fmt: skip
        """What a takeover writes through (the call log's stage), reads (the tracker's open
        calls, the database's ended calls) and waits for (`settled`: drains)."""
        self._calllog, self._open_calls, self._ended_among = calllog, open_calls, ended_among
        self._settled = list(settled)

    def republish(
        self, pops: Stage[Sequence[CallEvent]], ringing: Callable[[], dict[str, tuple[str, ...]]]
    ) -> None:
        """At a takeover, the pops of what rings (`ringing`: linkedid -> agents) and of the
        answered calls go out again: this process's publisher knows them from then on, so it
        withdraws them when they end (the retained pops are never left to the dead one's)."""
        self._pops, self._ringing = pops, ringing

    def gate(self, *stages: Stage[Any]) -> None:
        for stage in stages:
            stage.gate = self.holds

    def add_duty(self, duty: Duty) -> None:
        self._duties.append(duty)

    def listen(self, events: Sequence[CallEvent]) -> None:
        """A pipeline listener: the records of the last `keep` calls that ended (active or not:
        what a holder's stages still held when it stepped down was refused, not written)."""
        for event in events:
            if isinstance(event, CallEnded):
                self._ended.pop(event.call.linkedid, None)
                self._ended[event.call.linkedid] = event.call
                if len(self._ended) > self._keep:
                    self._ended.popitem(last=False)

    async def start_unleased(self) -> None:
        """One process: every duty runs from the start."""
        await self._start_duties()

    def acquired(self, token: int) -> None:
        """The lease task's callback: the tracker's open calls and the gate in one tick."""
        ended = list(self._ended.values())
        self._ended.clear()
        self.token, self.since, self.first_write_at = token, datetime.now(UTC), None
        self.takeovers += 1
        self.holding = True
        open_calls = self._open_calls()
        if self._calllog is not None and open_calls:
            self._calllog.offer([CallStarted(call) for call in open_calls])
        if self._pops is not None and open_calls:
            self._pops.offer(_pops_now(open_calls, self._ringing()))
        self._spawn(self._take_over(ended, time.monotonic()))

    def lost(self, reason: str) -> None:
        if not self.holding:
            return
        self.holding = False
        self.step_downs += 1
        self.metrics.inc("lease.step_downs")
        self._spawn(self._step_down(reason))

    async def stop(self) -> None:
        """A takeover or step-down under way is cancelled (the bridge stops the duties)."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def status(self) -> dict[str, object]:
        return {
            "role": self.role,
            "leased": self.leased,
            "token": self.token,
            "since": _iso(self.since),
            "first_write_at": _iso(self.first_write_at),
            "takeovers": self.takeovers,
            "step_downs": self.step_downs,
            "ended_kept": len(self._ended),
        }

    async def _take_over(self, ended: list[CallRecord], began: float) -> None:
        async with self._lock:
            if not self.holding:
                return
            missing = await self._not_yet_ended(ended)
            if missing and self._calllog is not None:
                self._calllog.offer([CallEnded(call) for call in missing])
            await self._start_duties()
            for drained in self._settled:
                await drained()
            self.first_write_at = datetime.now(UTC)
            took = time.monotonic() - began
            log.warning(
                "took over with token %s: %d open calls, %d ended calls written (%d already "
                "ended by the previous holder), in %.3f s", self.token, len(self._open_calls()),
                len(missing), len(ended) - len(missing), took,
            )  # fmt: skip

    async def _not_yet_ended(self, ended: list[CallRecord]) -> list[CallRecord]:
        if not ended or self._ended_among is None:
            return ended
        while True:
            try:
                done = await self._ended_among([call.linkedid for call in ended])
                return [call for call in ended if call.linkedid not in done]
            except Exception:
                log.exception("takeover: could not read which calls are ended; trying again")
                await asyncio.sleep(0.5)

    async def _step_down(self, reason: str) -> None:
        async with self._lock:
            log.warning("stepping down to standby: %s", reason)
            await self._stop_duties()

    async def _start_duties(self) -> None:
        for duty in self._duties:
            if duty.name in self._running:
                continue
            started = duty.start()
            if started is not None:
                await started
            self._running.add(duty.name)

    async def _stop_duties(self) -> None:
        for duty in reversed(self._duties):
            if duty.name not in self._running:
                continue
            self._running.discard(duty.name)
            try:
                async with asyncio.timeout(5.0):
                    await duty.stop()
            except Exception:
                log.exception("stopping %s failed", duty.name)

    def _spawn(self, job: Awaitable[None]) -> None:
        async def run() -> None:
            await job

        task = asyncio.create_task(run())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


def _pops_now(open_calls: list[CallRecord], ringing: dict[str, tuple[str, ...]]) -> list[CallEvent]:
    now = time.time()
    events: list[CallEvent] = []
    for call in open_calls:
        if call.answered_by:
            events.append(CallAnswered(call, now))
        elif ringing.get(call.linkedid):
            events.append(CallRinging(call, ringing[call.linkedid], now))
    return events


def ringing_agents(tracker: Tracker) -> dict[str, tuple[str, ...]]:
    """linkedid -> the agents whose phones ring for it now."""
    found: dict[str, list[str]] = {}
    for agent in sorted(tracker.agents_on_calls()):
        for linkedid in tracker.agent_calls(agent).ringing:
            found.setdefault(linkedid, []).append(agent)
    return {linkedid: tuple(agents) for linkedid, agents in found.items()}


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


class MutedWhileStandby:
    """The bus as the bridge publishes on it: while this ingest does not hold the lease, its
    messages and retained-state changes are dropped (counted: `bus.standby_muted`)."""

    def __init__(self, bus: Bus, leadership: Leadership) -> None:
        self._bus = bus
        self._leadership = leadership

    async def publish(self, topic: str, message: Message, retain: Sequence[Retain] = ()) -> None:
        if self._leadership.holding:
            await self._bus.publish(topic, message, retain)
        else:
            self._leadership.metrics.inc("bus.standby_muted")

    async def retain(self, changes: Sequence[Retain]) -> None:
        if self._leadership.holding:
            await self._bus.retain(changes)
        else:
            self._leadership.metrics.inc("bus.standby_muted")

    async def subscribe(self, topics: set[str]) -> Subscription:
        return await self._bus.subscribe(topics)

    async def retained(self, key: str) -> Message | None:
        return await self._bus.retained(key)

    async def retained_map(self, key: str) -> dict[str, Message]:
        return await self._bus.retained_map(key)

    async def ping(self) -> None:
        await self._bus.ping()

    def status(self) -> dict[str, Any]:
        return self._bus.status()

    async def close(self) -> None:
        await self._bus.close()
