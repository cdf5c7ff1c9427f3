"""A stage never blocks the reader, never loses an item, and keeps order."""

from __future__ import annotations

import asyncio

from cti.ami.metrics import Counters
from cti.ingest.stage import Stage


async def test_a_stalled_handler_spills_to_overflow_and_loses_nothing() -> None:
    seen: list[int] = []
    release = asyncio.Event()

    async def slow(item: int) -> None:
        await release.wait()
        seen.append(item)

    metrics = Counters()
    stage: Stage[int] = Stage("slow", slow, metrics, maxsize=3)
    stage.start()
    for item in range(50):
        stage.offer(item)  # returns at once although the handler is stuck
    assert stage.backlog >= 46
    assert metrics.get("slow.buffer_full") > 0
    release.set()
    await asyncio.wait_for(stage.drain(), 5)
    await stage.stop()
    assert seen == list(range(50))


async def test_a_failing_item_is_counted_and_the_stage_goes_on() -> None:
    seen: list[int] = []

    async def picky(item: int) -> None:
        if item == 2:
            raise ValueError("bad item")
        seen.append(item)

    metrics = Counters()
    stage: Stage[int] = Stage("picky", picky, metrics)
    stage.start()
    for item in range(5):
        stage.offer(item)
    await asyncio.wait_for(stage.drain(), 5)
    await stage.stop()
    assert seen == [0, 1, 3, 4]
    assert metrics.get("picky.errors") == 1


async def test_a_handler_that_fell_behind_gets_the_backlog_merged() -> None:
    batches: list[list[int]] = []
    release = asyncio.Event()

    async def batch(items: list[int]) -> None:
        await release.wait()
        batches.append(items)

    stage: Stage[list[int]] = Stage(
        "batched", batch, Counters(), merge=lambda lists: [i for part in lists for i in part]
    )
    stage.start()
    for item in range(10):
        stage.offer([item])
    await asyncio.sleep(0.01)
    release.set()
    await asyncio.wait_for(stage.drain(), 5)
    await stage.stop()
    assert [i for part in batches for i in part] == list(range(10))
    assert len(batches) < 10
