"""The ingest task: one consumer of the AMI queue, in order; everything slow sits behind a Stage.

AmiClient.queue -> Tracker.apply -> Stage("pops") -> ScreenPopPublisher
                                 -> Stage("calllog") -> CallLogWriter
                                 -> any other sink (stats ...)
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import TypeVar

from cti.ami.metrics import Counters
from cti.ingest.stage import Stage
from cti.state.events import AmiEvent, Resync
from cti.state.records import CallEvent
from cti.state.tracker import Tracker

log = logging.getLogger(__name__)

Batch = Sequence[CallEvent]
Sink = Callable[[Batch], Awaitable[None]]
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
    def __init__(self, tracker: Tracker, metrics: Counters) -> None:
        self.tracker = tracker
        self.metrics = metrics
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
        for observer in self._observers:
            try:
                observer(item)
            except Exception:
                self.metrics.inc("observer.errors")
                log.exception("an event observer failed on %s", getattr(item, "name", item))
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
        for event in missed:
            self.feed(event)

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
