"""Every recorded scenario, as recorded and rewritten into each older form, through the bridge's
own pipeline (tracker, call log writer, open-call state store) into the database (SQLite and
PostgreSQL): each call stored once, ended, with the scenario's expected facts."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

import pytest

from crm_core.services import Services
from crm_core.services.dto import Actor, CallFilter, CallOut
from cti.ami.metrics import Counters
from cti.ingest.calllog import CallLogWriter
from cti.ingest.pipeline import IngestPipeline
from cti.ingest.tracking_store import TrackingStore
from cti.state.events import AmiEvent, Resync
from cti.state.tracker import Tracker
from tests.compat.rewrite import PROFILES
from tests.compat.streams import CONFIG, rewritten
from tests.state.scenarios import scenario_names

ACTOR = Actor.system("test")
AS_RECORDED = "asterisk22-pjsip"
FACTS = ("direction", "caller", "callee", "queue", "agents_rang", "answered_by", "disposition")


async def _items(items: Sequence[AmiEvent | Resync]) -> AsyncIterator[AmiEvent | Resync]:
    for item in items:
        yield item


async def _through_the_bridge(services: Services, events: Sequence[AmiEvent]) -> None:
    tracker, metrics = Tracker(CONFIG), Counters()
    pipeline = IngestPipeline(tracker, metrics)
    pipeline.add_sink("calllog", CallLogWriter(services, metrics).handle)
    store = TrackingStore(tracker, services.call_states, metrics)
    pipeline.after_each_event(store.notify)
    store.start()
    for stage in pipeline.stages:
        stage.start()
    await pipeline.consume(_items(events))
    await pipeline.drain()
    await store.drain()
    await pipeline.stop()
    await store.stop()


def _stored(call: CallOut) -> dict[str, Any]:
    facts = {key: getattr(call, key) or None for key in FACTS}
    facts["agents_rang"] = list(call.agents_rang)
    facts["transfers"] = [(t["kind"], t["from"] or None, t["to"] or None) for t in call.transfers]
    return facts


def _expected(record: dict[str, Any]) -> dict[str, Any]:
    facts = {key: record.get(key) for key in FACTS}
    facts["transfers"] = [(t["kind"], t["from"], t["to"]) for t in record["transfers"]]
    return facts


@pytest.mark.parametrize("form", [AS_RECORDED, *sorted(PROFILES)])
async def test_every_scenario_lands_in_the_database_right(services: Services, form: str) -> None:
    expected: dict[str, dict[str, Any]] = {}
    events: list[AmiEvent] = []
    for name in scenario_names():
        stream = rewritten(name, form) if form != AS_RECORDED else rewritten(name, None)
        events.extend(stream.events)
        expected |= {record["linkedid"]: _expected(record) for record in stream.expected}
    await _through_the_bridge(services, events)
    page = await services.calls.list(ACTOR, CallFilter(limit=500))
    stored = {call.linkedid: call for call in page.items}
    assert set(stored) == set(expected)
    wrong = {
        linkedid: (_stored(call), expected[linkedid])
        for linkedid, call in stored.items()
        if _stored(call) != expected[linkedid]
    }
    assert not wrong
    assert all(call.ended_at is not None for call in stored.values())
    assert (await services.call_states.load()).states == []
