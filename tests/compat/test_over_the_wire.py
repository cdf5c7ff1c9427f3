"""The bridge's own AMI client reads each older form from a server greeting as that version does
(`Asterisk Call Manager/2.10.6` for Asterisk 13 ...) and the tracker makes the expected records."""

from __future__ import annotations

import asyncio

import pytest

from cti.ami.client import AmiClient
from cti.ami.config import AmiConfig
from cti.state.events import AmiEvent, Resync
from cti.state.records import CallEnded
from cti.state.tracker import Tracker
from tests.ami.fake_server import FakeAmi
from tests.compat.rewrite import PROFILES, split
from tests.compat.streams import CONFIG, rewritten, unmatched

SCENARIO = "queue_local_ringall_answered"


async def _received(client: AmiClient, count: int) -> list[AmiEvent]:
    events: list[AmiEvent] = []
    while len(events) < count:
        item = await asyncio.wait_for(client.queue.get(), 5)
        if isinstance(item, AmiEvent):
            events.append(item)
    return events


@pytest.mark.parametrize("profile", sorted(PROFILES))
async def test_older_form_over_a_socket(profile: str) -> None:
    stream = rewritten(SCENARIO, profile)
    server = FakeAmi()
    server.greeting = PROFILES[profile].greeting
    await server.start()
    client = AmiClient(AmiConfig(port=server.port, secret="s", backoff_min=0.05))
    try:
        await client.start()
        while not isinstance(await asyncio.wait_for(client.queue.get(), 5), Resync):
            pass  # logged in and listed: events may flow
        events = [dict(m) for m in split(stream.raw) if dict(m).get("Event")]
        for fields in events:
            server.push(fields)
        received = await _received(client, len(events))
    finally:
        await client.stop()
        await server.close()
    tracker = Tracker(CONFIG)
    ended = [
        o.call.as_dict() for e in received for o in tracker.apply(e) if isinstance(o, CallEnded)
    ]
    assert not unmatched(ended, stream.expected), unmatched(ended, stream.expected)
