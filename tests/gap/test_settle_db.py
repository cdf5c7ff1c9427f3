"""The bridge's own parts on a real database: killed mid-traffic, restarted after it, settled
from the CEL file. Every call is in the database once, ended, with the uninterrupted facts."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from crm_core.services import Services
from crm_core.services.dto import Actor, CallFilter, CallOut
from cti.ami.metrics import Counters
from cti.gap.settle import GapSettler
from cti.ingest.calllog import CallLogWriter
from cti.ingest.pipeline import IngestPipeline
from cti.ingest.tracking_store import TrackingStore
from cti.state.events import AmiEvent, Resync
from cti.state.records import CallEnded
from cti.state.tracker import Tracker
from tests.gap.recorded_pairs import AGENTS, load_pair
from tests.gap.test_cel_replay import facts

ACTOR = Actor.system("test")


async def _items(items: Sequence[AmiEvent | Resync]) -> AsyncIterator[AmiEvent | Resync]:
    for item in items:
        yield item


async def run_bridge(
    services: Services, items: Sequence[AmiEvent | Resync], cel: Path | None, restore: bool
) -> None:
    tracker, metrics = Tracker(AGENTS), Counters()
    pipeline = IngestPipeline(tracker, metrics)
    pipeline.add_sink("calllog", CallLogWriter(services, metrics).handle)
    store = TrackingStore(tracker, services.call_states, metrics)
    pipeline.after_each_event(store.notify)
    if cel is not None:
        settler = GapSettler(tracker, cel, services.call_states.ended_among, metrics)
        pipeline.replay_before_resync(settler.events_before)
    if restore:
        await store.restore()
    store.start()
    for stage in pipeline.stages:
        stage.start()
    await pipeline.consume(_items(items))
    await pipeline.drain()
    await store.drain()
    await pipeline.stop()
    await store.stop()


def stored_facts(call: CallOut) -> dict[str, Any]:
    return {
        "direction": call.direction,
        "caller": call.caller,
        "callee": call.callee,
        "queue": call.queue or None,
        "agents_rang": call.agents_rang,
        "answered_by": call.answered_by or None,
        "disposition": call.disposition,
        "transfers": [(t["kind"], t["from"] or None, t["to"] or None) for t in call.transfers],
    }


@pytest.mark.parametrize("share", [0.3, 0.6])
async def test_killed_mid_traffic_then_settled(
    services: Services, tmp_path: Path, share: float
) -> None:
    pair = load_pair("traffic")
    cel = tmp_path / "cel.jsonl"
    cel.write_text("\n".join(json.dumps(row) for row in pair.cel) + "\n")
    uninterrupted = Tracker(AGENTS)
    control = {
        e.call.linkedid: e.call
        for event in pair.events
        for e in uninterrupted.apply(event)
        if isinstance(e, CallEnded)
    }
    cut = int(len(pair.events) * share)
    await run_bridge(services, pair.events[:cut], cel, restore=False)
    end = pair.events[-1].time + 1
    await run_bridge(services, [Resync((), (), end)], cel, restore=True)
    page = await services.calls.list(ACTOR, CallFilter(limit=500))
    stored = {call.linkedid: call for call in page.items}
    assert set(stored) == set(control)
    wrong = {
        linkedid: (stored_facts(call), facts(control[linkedid]))
        for linkedid, call in stored.items()
        if stored_facts(call) != facts(control[linkedid])
    }
    assert not wrong
    assert all(call.ended_at is not None and call.disposition for call in stored.values())
    assert (await services.call_states.load()).states == []
