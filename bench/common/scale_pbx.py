"""bench/scale.py's `pbx` part: events/s of two PBXs ingested at once into one CRM (issue 14).

    .venv/bin/python bench/scale.py --parts pbx [--pbx-events 40000] [--pbx-runs 3]

Two fake Asterisks (bench/common/ami_server.py, a process each) stream the same busy-centre
stream (bench/ingest_peers.py's: the recorded scenarios, ~200 calls in progress, every caller
new), so every linkedid of one PBX is also one of the other's: the collision at volume. One
`cti serve` composition (cti/composition.py:build_bridges) with CTI_PBXS naming both serves
them in one process, on one database, the whole Bridge per PBX (tracker, pops, call log with
leads and call-backs, state store). Rounds, interleaved:
- one PBX alone (the baseline, the same stream, the same code: one entry in CTI_PBXS);
- two PBXs at once: both streams asked for together; clocked until both bridges drained.
Then the database is checked: every call once per PBX and ended (2 x calls rows, each linkedid
on both PBXs: two records).
Figure: aggregate events/s of two PBXs against one PBX alone; the bar is >= 0.9x (a second PBX
costs the first nothing beyond sharing the process and the database; on this 2-core machine the
bridges share one Python process, so the aggregate cannot double).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bench.ingest import (
    NO_AGI,
    AmiServer,
    Report,
    Row,
    bridge_settings,
    open_services,
    setup_logging,
    stream_action,
    temp_database,
    until_connected,
    wait_until,
)
from bench.ingest_peers import peer_stream
from cti.bridge import Bridge
from cti.bus.factory import create_bus
from cti.composition import build_bridges
from cti.sandbox.manager import Sandbox
from cti.settings import BridgeSettings

BAR = 0.9
TIMEOUT = 900.0
PBXS = ("prague", "brno")
NEEDS_SANDBOX = False  # fake Asterisks: bench/scale.py neither locks nor starts the sandbox


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("pbx")
    group.add_argument("--pbx-events", type=int, default=40_000, help="events per PBX's stream")
    group.add_argument("--pbx-runs", type=int, default=3, help="interleaved rounds")
    group.add_argument("--pbx-backend", choices=("postgresql", "sqlite"), default="postgresql")


async def run(args: argparse.Namespace, _sandbox: Sandbox | None, _workdir: Path) -> bool:
    """The part as bench/scale.py runs it: True when the bar is met and the database right."""
    setup_logging()
    plan = PbxPlan(events=args.pbx_events, runs=args.pbx_runs, backend=args.pbx_backend)
    report = Report()
    rates = await run_pbx(plan, report)
    for note in rates.notes:
        print(f"  {note}")
    print()
    print(report.table())
    if report.broken:
        print("BROKEN: " + "; ".join(report.broken))
    ratio = statistics.median(rates.two) / statistics.median(rates.one)
    return ratio >= BAR and not report.broken


@dataclass(frozen=True)
class PbxPlan:
    events: int = 60_000
    runs: int = 3
    backend: str = "postgresql"


@dataclass
class Rates:
    one: list[float] = field(default_factory=list)
    two: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _settings(servers: Sequence[AmiServer]) -> BridgeSettings:
    pbxs = [{"name": name, "ami_port": server.port, "agi_port": 14600 + index}
            for index, (name, server) in enumerate(zip(PBXS, servers, strict=False))]  # fmt: skip
    return bridge_settings(servers[0].port).model_copy(
        update={"pbxs": BridgeSettings.model_validate({"pbxs": pbxs}).pbxs}
    )


def _fed(bridge: Bridge) -> int:
    counts = bridge.metrics.as_dict()
    names = ("tracker.events", "tracker.errors", "ami_varsets_skipped")
    return sum(counts.get(name, 0) for name in names)


async def _ingest(servers: Sequence[AmiServer], path: Path, events: int, plan: PbxPlan,
                  workdir: Path) -> tuple[float, dict[str, Any]]:  # fmt: skip
    """Events/s of these PBXs' streams ingested at once; what the database holds after."""
    async with (
        temp_database(plan.backend, workdir) as url,
        open_services(url, workdir) as services,
    ):
        bridges = build_bridges(_settings(servers), services, create_bus("memory://"), NO_AGI)
        for bridge in bridges:
            await bridge.start()
        try:
            for bridge in bridges:
                await until_connected(bridge)
            before = [_fed(bridge) for bridge in bridges]
            start = time.perf_counter()
            await asyncio.gather(*(b.ami.send_action(stream_action(path, 0)) for b in bridges))
            for bridge, fed in zip(bridges, before, strict=True):
                await wait_until(lambda b=bridge, f=fed: _fed(b) - f >= events, TIMEOUT, "stream")
            async with asyncio.timeout(TIMEOUT):
                for bridge in bridges:
                    await bridge.pipeline.drain()
                    await bridge.tracking.drain()
            rate = len(bridges) * events / (time.perf_counter() - start)
            facts = await _facts(services.engine)
        finally:
            for bridge in bridges:
                await bridge.stop()
    return rate, facts


async def _facts(engine: Any) -> dict[str, Any]:
    queries = {
        "rows": "SELECT count(*) FROM calls",
        "per_pbx": "SELECT count(*) FROM (SELECT DISTINCT pbx, linkedid FROM calls) AS k",
        "on_both": "SELECT count(*) FROM (SELECT linkedid FROM calls GROUP BY linkedid "
        "HAVING count(DISTINCT pbx) = 2) AS k",
        "ended": "SELECT count(*) FROM calls WHERE ended_at IS NOT NULL",
        "callbacks": "SELECT count(*) FROM tasks WHERE kind = 'callback'",
        "pbxs": "SELECT count(DISTINCT pbx) FROM calls",
    }
    async with engine.connect() as connection:
        return {
            n: int((await connection.execute(text(q))).scalar_one()) for n, q in queries.items()
        }


async def run_pbx(plan: PbxPlan, report: Report) -> Rates:
    stream = peer_stream(plan.events)
    rates = Rates()
    calls = len(stream.calls)
    servers = [AmiServer(), AmiServer()]
    with tempfile.TemporaryDirectory(prefix="cti-bench-pbx-") as tmp:
        workdir = Path(tmp)
        path = stream.write(workdir / "pbx.ami")
        print(f"pbx: stream of {stream.events:,} events, {calls:,} calls, per PBX", flush=True)
        try:
            for round_no in range(1, plan.runs + 1):
                one, facts_one = await _ingest(servers[:1], path, stream.events, plan, workdir)
                two, facts = await _ingest(servers, path, stream.events, plan, workdir)
                rates.one.append(one)
                rates.two.append(two)
                print(f"  round {round_no}/{plan.runs}: one PBX {one:,.0f} ev/s, two at once "
                      f"{two:,.0f} ev/s; {facts}", flush=True)  # fmt: skip
                report.check(facts_one["rows"] == calls, f"one PBX: {facts_one['rows']} rows "
                             f"for {calls} calls")  # fmt: skip
                exact = facts["rows"] == facts["per_pbx"] == facts["ended"] == 2 * calls
                report.check(exact and facts["on_both"] == calls and facts["pbxs"] == 2,
                             f"two PBXs: {facts} for {calls} calls each")  # fmt: skip
                rates.notes = [f"{facts['rows']:,} rows for {calls:,} calls on each PBX, "
                               f"{facts['on_both']:,} linkedids on both PBXs (two records each), "
                               f"{facts['ended']:,} ended"]  # fmt: skip
        finally:
            for server in servers:
                server.stop()
    one, two = statistics.median(rates.one), statistics.median(rates.two)
    ratio = two / one
    report.add(Row("events/s, one PBX alone (baseline, whole Bridge on " f"{plan.backend})",
                   f"{one:,.0f}"))  # fmt: skip
    report.add(Row("events/s, two PBXs at once into one CRM (aggregate)", f"{two:,.0f}",
                   f">= {BAR:.1f}x one PBX", ratio >= BAR, f"{ratio:.2f}x"))  # fmt: skip
    return rates
