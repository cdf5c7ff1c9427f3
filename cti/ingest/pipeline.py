"""The ingest task: one consumer of the AMI queue, in order; everything slow sits behind a Stage.

AmiClient.queue -> AgentTracker.apply -> agent sinks (listing reader, live stats, agent event log)
                -> Tracker.apply -> Stage("pops") -> ScreenPopPublisher
                                 -> Stage("calllog") -> CallLogWriter
                                 -> any other sink

Both trackers are pure and see every event once; the QueueStatus listing read after a (re)connect
comes back in through `feed_listing`, to the agent tracker only.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import TypeVar

from cti.agents.tracker import AgentChange, AgentTracker, Listing
from cti.ami.metrics import Counters
from cti.ingest.stage import Stage
from cti.state.events import AmiEvent, Resync
from cti.state.records import CallEvent
from cti.state.tracker import Tracker

log = logging.getLogger(__name__)

Batch = Sequence[CallEvent]
Sink = Callable[[Batch], Awaitable[None]]
AgentSink = Callable[[Sequence[AgentChange]], None]
S = TypeVar("S", bound=Callable[..., Awaitable[None]])
MERGES_BATCHES = "merges_batches"
MERGE_LIMIT = "merge_limit"
DEFAULT_MERGE_LIMIT = 200


def merging(sink: S) -> S:
    """Marks a sink that may get the call events of many AMI events in one call (in order)."""
    setattr(sink, MERGES_BATCHES, True)
    return sink


def merging_up_to(limit: int) -> Callable[[S], S]:
    """`merging`, with up to `limit` AMI events' call events in one call."""

    def mark(sink: S) -> S:
        setattr(sink, MERGE_LIMIT, limit)
        return merging(sink)

    return mark


def _concat(batches: list[Batch]) -> Batch:
    return [event for batch in batches for event in batch]


class IngestPipeline:
    def __init__(
        self, tracker: Tracker, metrics: Counters, agents: AgentTracker | None = None
    ) -> None:
        self.tracker = tracker
        self.metrics = metrics
        self.agents = agents
        self._agent_sinks: list[tuple[str, AgentSink]] = []
        self.stages: list[Stage[Batch]] = []
        self._listeners: list[Callable[[Batch], None]] = []
        self._after_each: list[Callable[[], None]] = []
        self._observers: list[Callable[[AmiEvent | Resync], None]] = []
        self._before_resync: Callable[[Resync], Awaitable[list[AmiEvent]]] | None = None
        self._task: asyncio.Task[None] | None = None

    def add_sink(
        self, name: str, sink: Sink, maxsize: int = 10_000, merge: bool | None = None
    ) -> None:
        """`merge`: a sink that fell behind gets all that waits in one call (default: whether
        the sink is marked with `merging`)."""
        if merge is None:
            merge = bool(getattr(sink, MERGES_BATCHES, False))
        folding = _concat if merge else None
        limit = getattr(sink, MERGE_LIMIT, DEFAULT_MERGE_LIMIT)
        self.stages.append(Stage(name, sink, self.metrics, maxsize, folding, limit))

    def add_agent_sink(self, name: str, sink: AgentSink) -> None:
        """Called inline with the agent tracker's changes of each event, in order (keep it cheap:
        dict updates, or an offer to a Stage of its own)."""
        self._agent_sinks.append((name, sink))

    def add_listener(self, listener: Callable[[Batch], None]) -> None:
        """A synchronous observer called inline (keep it cheap: counters, latency probes)."""
        self._listeners.append(listener)

    def replay_before_resync(self, source: Callable[[Resync], Awaitable[list[AmiEvent]]]) -> None:
        """`source(resync)` gives the events missed before it (the gap), fed first, in order."""
        self._before_resync = source

    def after_each_event(self, callback: Callable[[], None]) -> None:
        """Called inline after every event the tracker applied (keep it cheap: set a flag)."""
        self._after_each.append(callback)

    def observe_events(self, observer: Callable[[AmiEvent | Resync], None]) -> None:
        """Called inline with every event before the tracker, in order (keep it cheap: a pure
        watcher that offers what it finds to a Stage of its own)."""
        self._observers.append(observer)

    def feed(self, item: AmiEvent | Resync) -> None:
        self._feed(item, agents=True)

    def _feed(self, item: AmiEvent | Resync, agents: bool) -> None:
        """`agents`: False for the gap's replayed CEL events (calls only: as before the agent
        tracker was fed by the pipeline, the listing after the Resync settles agents)."""
        for observer in self._observers:
            try:
                observer(item)
            except Exception:
                self.metrics.inc("observer.errors")
                log.exception("an event observer failed on %s", getattr(item, "name", item))
        if agents and self.agents is not None:
            self._feed_agents(item)
        try:
            events = self.tracker.apply(item)
        except Exception:
            self.metrics.inc("tracker.errors")
            log.exception("the tracker failed on %s; skipping it", getattr(item, "name", item))
            return
        self.metrics.inc("tracker.events")
        for callback in self._after_each:
            callback()
        if not events:
            return
        for listener in self._listeners:
            listener(events)
        for stage in self.stages:
            stage.offer(events)

    def feed_listing(self, listing: Listing) -> None:
        """Asterisk's QueueStatus answer, read after a (re)connect: to the agent tracker."""
        if self.agents is not None:
            self._feed_agents(listing)

    def _feed_agents(self, item: AmiEvent | Resync | Listing) -> None:
        assert self.agents is not None
        try:
            changes = self.agents.apply(item)
        except Exception:
            self.metrics.inc("agents.errors")
            log.exception("the agent tracker failed on %s; skipping it", getattr(item, "name", ""))
            return
        if not changes:
            return
        for name, sink in self._agent_sinks:
            try:
                sink(changes)
            except Exception:
                self.metrics.inc(f"{name}.errors")
                log.exception("agent sink %s failed on %s", name, getattr(item, "name", item))

    async def consume(self, source: AsyncIterator[AmiEvent | Resync]) -> None:
        async for item in source:
            if isinstance(item, Resync) and self._before_resync is not None:
                await self._replay_gap(item)
            self.feed(item)

    async def _replay_gap(self, resync: Resync) -> None:
        assert self._before_resync is not None
        try:
            missed = await self._before_resync(resync)
        except Exception:
            self.metrics.inc("gap.errors")
            log.exception("the gap could not be replayed; the listing alone settles it")
            return
        for event in missed:  # the calls' missed events: agents and queues are listed anew
            self._feed(event, agents=False)

    def start(self, source: AsyncIterator[AmiEvent | Resync]) -> None:
        for stage in self.stages:
            stage.start()
        self._task = asyncio.create_task(self.consume(source), name="ingest")

    async def drain(self) -> None:
        for stage in self.stages:
            await stage.drain()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        for stage in self.stages:
            await stage.stop()
