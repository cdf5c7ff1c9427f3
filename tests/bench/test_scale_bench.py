"""bench/scale.py's websocket part at its smallest, so the bench cannot rot: an ingest and two web
replicas as separate processes on PostgreSQL and Redis (the worker's own Redis database: the bench
clears its cti:* keys first), a fake Asterisk, 12 agents' sockets from this process, 12 rings; and
the bare websockets baseline beside it.

Asserts what must hold at any size: every ring reached its own agent, once, with agents on both
replicas, and the baseline did the same. Latency and memory bars are not asserted (a timed test
hides a figure behind a flaky pass/fail): `bench/scale.py --parts ws` prints them.
"""

from __future__ import annotations

import math
from pathlib import Path

from bench.common.scale_ws import run_ws
from tests.fixtures.db import fresh_postgres_database


async def test_every_ring_reaches_its_agent_once_across_two_web_replicas(
    postgres_server: tuple[str, int, str], redis_url: str, tmp_path: Path
) -> None:
    database = fresh_postgres_database(postgres_server, "cti_scale_ws")
    result = await run_ws(12, 12, 10.0, redis_url, tmp_path, database)
    for side in (result.bridge, result.baseline):
        rings = side.rings
        assert len(rings.sent) == 12, side.name
        assert (rings.lost, rings.misdelivered, rings.doubled) == (0, 0, 0), side.name
        assert len(rings.latencies_ms) == 12, side.name
        assert all(ms >= 0 for ms in rings.latencies_ms), side.name
        assert side.replicas_used == 2, side.name
        assert side.rss_with > 0, side.name
        assert math.isfinite(side.per_client_bytes), side.name
    assert (result.bridge.connected, result.bridge.refused, result.bridge.dropped) == (12, 0, 0)
    assert result.correct
    # the ring's message was seen on the Redis stream between the AMI write and the client
    assert len(result.bridge.rings.to_stream_ms) == 12
    assert len(result.bridge.rings.from_stream_ms) == 12
    assert max(result.bridge.rings.to_stream_ms) <= max(result.bridge.rings.latencies_ms)
    assert (tmp_path / "ingest-metrics.txt").read_text().count("cti_ring_to_pop_seconds") > 0
