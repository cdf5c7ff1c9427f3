"""Ingest bench (issue 4): recorded Asterisk traffic through the whole bridge, over a real socket.

    .venv/bin/python bench/ingest.py [--backend sqlite|postgresql|both] [--seconds N] [--quick]

A fake AMI server (bench/common/ami_server.py, its own process) replays a stream synthesized
from tests/scenarios/*.ami: every copy of a recorded call gets its own Uniqueids, Linkedids,
channel names, bridge ids and external number, and copies overlap (~200 calls in progress once
ramped up) while each keeps its event order. Phases:

1. baseline: a plain panoramisk Manager with one sync callback counting events, same stream;
2. throughput (per backend): the real `cti.bridge.Bridge` (AmiClient -> taps -> IngestPipeline
   -> Tracker -> pops + call log on real services, migrated temp database) fed at full speed;
   clocked from the stream request until the call-log stage has written every call; then the
   calls table is checked: every expected call once, ended;
3. ring-to-pop (per backend): `cti.composition.build_app` under uvicorn in this process, ten
   agents (1001-1010) on /ws/agent, the stream paced at 1,000 events/s; latency from the
   moment our AMI protocol received the event that makes the tracker ring an agent
   (AmiEvent.received_at, taken in data_received) to the moment the agent's websocket client
   received the `ring` frame: an upper bound on "frame written";
4. database stall (PostgreSQL): the bridge's database behind a TCP proxy, cut for 30 s while
   2,000 events/s flow: the AMI session must stay up and every call be written once after;
5. memory: tracemalloc around the tracker while 10,000 calls ring (their starts, no ends).

Runs in about 3-4 minutes (--quick: under a minute). Exit status 1 when a call is lost or
doubled or the AMI reader dropped; speed bars only print FAIL unless --strict.
`--json PATH` writes the figures for tests/bench.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import importlib.util
import json
import logging
import os
import socket
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import asyncpg  # type: ignore[import-untyped]  # noqa: E402
import uvicorn  # noqa: E402
from panoramisk import Manager  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncEngine  # noqa: E402
from websockets.asyncio.client import ClientConnection, connect  # noqa: E402

from bench.common.synth import (  # noqa: E402
    Rewriter,
    Scenario,
    Stream,
    build_stream,
    load_scenarios,
    render_headers,
)
from crm_core.db import create_engine  # noqa: E402
from crm_core.migrate import upgrade  # noqa: E402
from crm_core.models.enums import Role  # noqa: E402
from crm_core.services import Services, build_services  # noqa: E402
from crm_core.services.dto import Actor, UserCreate  # noqa: E402
from crm_core.settings import CrmSettings  # noqa: E402
from cti.ami.client import ConnectionState  # noqa: E402
from cti.bridge import Bridge  # noqa: E402
from cti.bus.factory import create_bus  # noqa: E402
from cti.composition import build_app, build_bridges  # noqa: E402
from cti.routing.settings import TelephonySettings  # noqa: E402
from cti.settings import BridgeSettings  # noqa: E402
from cti.state.config import TrackerConfig  # noqa: E402
from cti.state.events import AmiEvent  # noqa: E402
from cti.state.records import CallAnswered, CallEnded, CallEvent, CallRinging  # noqa: E402
from cti.state.tracker import Tracker  # noqa: E402
from tests.fixtures.tcpproxy import TcpProxy  # noqa: E402

PG_HOST, PG_PORT, PG_ADMIN_DB = "127.0.0.1", 5432, "postgres"
AGENTS = [str(ext) for ext in range(1001, 1011)]
PASSWORD = "bench-password-1"
BAR_EVENTS_PER_S = 5_000
BAR_P50_MS, BAR_P99_MS = 10.0, 50.0
BAR_BYTES_PER_CALL = 8 * 1024
LATENCY_RATE = 1_000
STALL_RATE = 2_000
LOG_FILE = Path(tempfile.gettempdir()) / "cti-bench-ingest.log"

log = logging.getLogger("bench.ingest")


# -- the report ---------------------------------------------------------------------------------
@dataclass
class Row:
    metric: str
    value: str
    bar: str = ""
    passed: bool | None = None  # None: a figure without a bar
    ratio: str = ""


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)
    broken: list[str] = field(default_factory=list)  # correctness failures

    def add(self, row: Row) -> None:
        self.rows.append(row)
        mark = "" if row.passed is None else ("  PASS" if row.passed else "  FAIL")
        print(f"  {row.metric}: {row.value}{mark}", flush=True)

    def check(self, ok: bool, what: str) -> bool:
        if not ok:
            self.broken.append(what)
        return ok

    def table(self) -> str:
        head = ("metric", "value", "bar", "result", "vs baseline")
        cells = [head] + [
            (
                r.metric,
                r.value,
                r.bar,
                "" if r.passed is None else ("pass" if r.passed else "FAIL"),
                r.ratio,
            )
            for r in self.rows
        ]
        widths = [max(len(row[i]) for row in cells) for i in range(len(head))]
        lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
        lines.insert(1, "  ".join("-" * w for w in widths))
        return "\n".join(line.rstrip() for line in lines)


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


# -- the fake Asterisk --------------------------------------------------------------------------
class AmiServer:
    """bench/common/ami_server.py in a child process; stops when its stdin closes."""

    def __init__(self) -> None:
        script = ROOT / "bench" / "common" / "ami_server.py"
        self.process = subprocess.Popen(
            [sys.executable, str(script)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline().split()
        if len(line) != 2 or line[0] != "PORT":
            self.stop()
            raise RuntimeError(f"the fake AMI server did not start: {line}")
        self.port = int(line[1])

    def cpu_seconds(self) -> float:
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def stream_action(path: Path, rate: float) -> dict[str, str]:
    return {"Action": "BenchStream", "File": str(path), "Rate": f"{rate:g}"}


# -- databases ----------------------------------------------------------------------------------
@contextlib.asynccontextmanager
async def temp_database(backend: str, workdir: Path) -> AsyncIterator[str]:
    """The URL of an empty database: a SQLite file, or a PostgreSQL database dropped after."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{workdir / f'cti-{uuid.uuid4().hex[:8]}.db'}"
        return
    name = f"cti_bench_{uuid.uuid4().hex[:12]}"
    await _pg_admin(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+asyncpg://postgres@{PG_HOST}:{PG_PORT}/{name}"
    finally:
        await _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _pg_admin(sql: str) -> None:
    connection = await asyncpg.connect(
        host=PG_HOST, port=PG_PORT, user="postgres", database=PG_ADMIN_DB
    )
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


def crm_settings(url: str, workdir: Path) -> CrmSettings:
    return CrmSettings(
        database_url=url, default_region="SK", secret_key="bench-secret", var_dir=workdir / "var"
    )


@contextlib.asynccontextmanager
async def open_services(
    url: str, workdir: Path, served_url: str | None = None
) -> AsyncIterator[Services]:
    """Migrated database with agents 1001-1010; services on `served_url` (a proxy) if given."""
    engine = create_engine(url)
    await upgrade(engine)
    await engine.dispose()
    services = build_services(crm_settings(served_url or url, workdir))
    try:
        for ext in AGENTS:
            data = UserCreate(login=f"agent{ext}", password=PASSWORD, role=Role.AGENT,
                              extensions=[ext])  # fmt: skip
            await services.users.create(Actor.system(), data)
        boss = UserCreate(login="supervisor", password=PASSWORD, role=Role.SUPERVISOR)
        await services.users.create(Actor.system(), boss)  # call-backs of missed calls go here
        yield services
    finally:
        await services.dispose()


@dataclass
class CallRows:
    rows: int
    distinct: int
    ended: int
    missing: int
    unexpected: int

    @property
    def exact(self) -> bool:
        return self.rows == self.distinct and self.missing == 0 and self.unexpected == 0

    def describe(self, expected: int) -> str:
        return (
            f"{self.distinct}/{expected} calls, {self.ended} ended, "
            f"{self.rows - self.distinct} doubled, {self.missing} missing, "
            f"{self.unexpected} unexpected"
        )


async def call_rows(engine: AsyncEngine, expected: Sequence[str]) -> CallRows:
    async with engine.connect() as connection:
        rows = (await connection.execute(text("SELECT linkedid, ended_at FROM calls"))).all()
    ids = Counter(str(row[0]) for row in rows)
    wanted = set(expected)
    return CallRows(
        rows=len(rows),
        distinct=len(ids),
        ended=sum(1 for row in rows if row[1] is not None),
        missing=len(wanted - set(ids)),
        unexpected=len(set(ids) - wanted),
    )


# -- the bridge ---------------------------------------------------------------------------------
def bridge_settings(port: int) -> BridgeSettings:
    return BridgeSettings(
        ami_host="127.0.0.1", ami_port=port, ami_user="cti", ami_secret="bench",
        sandbox=False, agent_channel_regex=r"^PJSIP/(1\d{3})-",
    )  # fmt: skip


NO_AGI = TelephonySettings(agi_enabled=False)


async def wait_until(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        await asyncio.sleep(0.005)


def fed(bridge: Bridge) -> int:
    """Items the ingest task has handed to the tracker (events and resyncs), and the VarSets the
    reader dropped unparsed (variables the bridge does not read)."""
    metrics = bridge.metrics
    return (
        metrics.get("tracker.events") + metrics.get("tracker.errors")
        + metrics.get("ami_varsets_skipped")
    )  # fmt: skip


async def until_connected(bridge: Bridge) -> None:
    await wait_until(lambda: bridge.ami.state is ConnectionState.CONNECTED, 15, "AMI login")
    await wait_until(lambda: fed(bridge) >= 1, 15, "the resync after login")


async def stream_through(
    bridge: Bridge, path: Path, stream: Stream, rate: float, timeout: float
) -> tuple[float, float, float]:
    """Ask for the stream; returns (start, all events fed, every stage drained) perf_counter."""
    before = fed(bridge)
    start = time.perf_counter()
    await bridge.ami.send_action(stream_action(path, rate))
    await wait_until(lambda: fed(bridge) - before >= stream.events, timeout, "the stream")
    read = time.perf_counter()
    async with asyncio.timeout(timeout):
        await bridge.pipeline.drain()
    return start, read, time.perf_counter()


# -- phase 1: parse-only baseline -----------------------------------------------------------
async def run_baseline(server: AmiServer, path: Path, stream: Stream) -> float:
    loop = asyncio.get_running_loop()
    manager = Manager(
        host="127.0.0.1", port=server.port, username="bench", secret="bench",
        ping_delay=3600, ping_interval=3600, loop=loop,
    )  # fmt: skip
    count = 0
    done = asyncio.Event()

    def on_event(_manager: Manager, _message: Any) -> None:
        nonlocal count
        count += 1
        if count == stream.events:
            done.set()

    manager.register_event("*", on_event)
    await manager.connect()
    await wait_until(lambda: manager.authenticated, 10, "panoramisk login")
    await asyncio.sleep(0.1)  # FullyBooted
    try:
        count = 0
        start = time.perf_counter()
        await manager.send_action(stream_action(path, 0))
        async with asyncio.timeout(120):
            await done.wait()
        return stream.events / (time.perf_counter() - start)
    finally:
        manager.close()


# -- phase 2: throughput ------------------------------------------------------------------------
async def run_throughput(
    backend: str, server: AmiServer, path: Path, stream: Stream, workdir: Path,
    baseline: float, report: Report,
) -> None:  # fmt: skip
    async with temp_database(backend, workdir) as url, open_services(url, workdir) as services:
        (bridge,) = build_bridges(
            bridge_settings(server.port), services, create_bus("memory://"), NO_AGI
        )
        await bridge.start()
        try:
            await until_connected(bridge)
            cpu, server_cpu = time.process_time(), server.cpu_seconds()
            start, read, done = await stream_through(bridge, path, stream, 0, 600)
            cpu, server_cpu = time.process_time() - cpu, server.cpu_seconds() - server_cpu
            rows = await call_rows(services.engine, stream.calls)
            metrics = bridge.metrics.as_dict()
        finally:
            await bridge.stop()
    rate = stream.events / (done - start)
    ingest_rate = stream.events / (read - start)
    report.figures[f"{backend}.throughput"] = {
        "events": stream.events, "calls": len(stream.calls), "seconds": done - start,
        "events_per_s": rate, "ingest_events_per_s": ingest_rate, "cpu_seconds": cpu,
        "rows": rows.__dict__, "exact": rows.exact, "metrics": metrics,
    }  # fmt: skip
    report.add(Row(
        f"[{backend}] sustained AMI events/s, end to end",
        f"{rate:,.0f} ev/s ({stream.events:,} events, {len(stream.calls):,} calls in "
        f"{done - start:.1f} s; all read after {read - start:.1f} s = {ingest_rate:,.0f} ev/s; "
        f"bridge CPU {cpu / (done - start):.0%}, AMI server CPU {server_cpu / (done - start):.0%})",
        f">= {BAR_EVENTS_PER_S:,} ev/s", rate >= BAR_EVENTS_PER_S, f"{rate / baseline:.2f}x",
    ))  # fmt: skip
    ok = report.check(rows.exact and rows.ended == len(stream.calls), f"{backend} throughput calls")
    written = metrics.get("calllog.written", 0)
    report.add(Row(
        f"[{backend}] calls in the call log (throughput)",
        f"{rows.describe(len(stream.calls))}; {written} upserts, "
        f"{metrics.get('calllog.retries', 0)} retries, "
        f"{metrics.get('pops.errors', 0) + metrics.get('calllog.errors', 0)} stage errors",
        "all, once", ok,
    ))  # fmt: skip


# -- phase 3: ring-to-pop latency ---------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class GcPauses:
    """Longest garbage-collector pause while active (a stop-the-world pause delays pops)."""

    def __init__(self) -> None:
        self.longest = 0.0
        self.count = 0
        self._began = 0.0

    def __enter__(self) -> GcPauses:
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *_: object) -> None:
        gc.callbacks.remove(self._callback)

    def _callback(self, phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            self._began = time.perf_counter()
        else:
            self.count += 1
            self.longest = max(self.longest, time.perf_counter() - self._began)


class RingProbe:
    """When the tracker first rang (linkedid, agent): the received_at of the AMI event fed."""

    def __init__(self, bridge: Bridge) -> None:
        self.rang: dict[tuple[str, str], float] = {}
        self._current = 0.0
        pipeline = bridge.pipeline
        original = pipeline.feed

        def feed(item: Any) -> None:
            self._current = item.received_at
            original(item)

        setattr(pipeline, "feed", feed)  # noqa: B010 - wraps the instance's own method
        pipeline.add_listener(self.on_events)

    def on_events(self, events: Sequence[CallEvent]) -> None:
        for event in events:
            if isinstance(event, CallRinging):
                for agent in event.agents:
                    self.rang.setdefault((event.call.linkedid, agent), self._current)


async def agent_client(
    url: str, token: str, ext: str, frames: dict[tuple[str, str], float], ready: asyncio.Event
) -> None:
    websocket: ClientConnection
    async with connect(url) as websocket:
        await websocket.send(json.dumps({"type": "auth", "token": token}))
        for expected in ("hello", "snapshot"):
            first = json.loads(await websocket.recv())
            if first.get("type") != expected:
                raise RuntimeError(f"agent {ext}: expected {expected}, got {first}")
        ready.set()
        async for raw in websocket:
            now = time.time()
            message = json.loads(raw)
            if message.get("type") == "ring":
                frames.setdefault((str(message["linkedid"]), ext), now)


async def run_latency(
    backend: str, server: AmiServer, path: Path, stream: Stream, workdir: Path, report: Report,
    rate: float = LATENCY_RATE,
) -> None:  # fmt: skip
    async with temp_database(backend, workdir) as url, open_services(url, workdir) as services:
        settings = crm_settings(url, workdir)
        app = build_app(settings, bridge_settings(server.port), services=services, telephony=NO_AGI)
        bridge: Bridge = app.state.bridge
        probe = RingProbe(bridge)
        port = free_port()
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                lifespan="on")  # fmt: skip
        server_http = uvicorn.Server(config)
        serving = asyncio.create_task(server_http.serve())
        frames: dict[tuple[str, str], float] = {}
        clients: list[asyncio.Task[None]] = []
        try:
            await wait_until(lambda: server_http.started, 15, "uvicorn")
            await until_connected(bridge)
            ws_url = f"ws://127.0.0.1:{port}/ws/agent"
            for ext in AGENTS:
                token = (await services.users.login(f"agent{ext}", PASSWORD)).access_token
                ready = asyncio.Event()
                clients.append(asyncio.create_task(agent_client(ws_url, token, ext, frames, ready)))
                async with asyncio.timeout(10):
                    await ready.wait()
            timeout = stream.events / rate * 3 + 30
            with GcPauses() as pauses:
                await stream_through(bridge, path, stream, rate, timeout)
            await asyncio.sleep(0.5)  # the last frames on their way
            rows = await call_rows(services.engine, stream.calls)
        finally:
            for task in clients:
                task.cancel()
            await asyncio.gather(*clients, return_exceptions=True)
            server_http.should_exit = True
            await asyncio.wait_for(serving, 30)
    latencies = [(frames[key] - stamp) * 1000 for key, stamp in probe.rang.items() if key in frames]
    lost = len(probe.rang) - len(latencies)
    p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
    report.figures[f"{backend}.latency"] = {
        "calls": len(stream.calls),
        "samples": len(latencies), "lost": lost, "p50_ms": p50, "p99_ms": p99,
        "max_ms": max(latencies, default=float("nan")), "rows": rows.__dict__,
        "exact": rows.exact, "gc_runs": pauses.count, "gc_longest_ms": pauses.longest * 1000,
    }  # fmt: skip
    detail = (
        f"{len(latencies)} rings, {lost} without a frame, max {max(latencies, default=0):.1f} ms, "
        f"{rate:,.0f} ev/s flowing; longest GC pause {pauses.longest * 1000:.1f} ms"
    )
    report.add(Row(f"[{backend}] ring-to-pop p50", f"{p50:.1f} ms ({detail})",
                   f"<= {BAR_P50_MS:g} ms", p50 <= BAR_P50_MS))  # fmt: skip
    report.add(Row(f"[{backend}] ring-to-pop p99", f"{p99:.1f} ms",
                   f"<= {BAR_P99_MS:g} ms", p99 <= BAR_P99_MS))  # fmt: skip
    report.check(lost == 0, f"{backend} ring frames lost")
    ok = report.check(rows.exact and rows.ended == len(stream.calls), f"{backend} latency calls")
    report.add(Row(f"[{backend}] calls in the call log (latency run)",
                   rows.describe(len(stream.calls)), "all, once", ok))  # fmt: skip


# -- phase 4: a database stall ------------------------------------------------------------------
async def run_stall(
    server: AmiServer, path: Path, stream: Stream, workdir: Path, stall: float, lead: float,
    report: Report,
) -> None:  # fmt: skip
    proxy = TcpProxy(PG_HOST, PG_PORT)
    await proxy.start()
    try:
        async with temp_database("postgresql", workdir) as url:
            proxied = url.replace(f"{PG_HOST}:{PG_PORT}", f"127.0.0.1:{proxy.port}")
            async with open_services(url, workdir, served_url=proxied) as services:
                (bridge,) = build_bridges(
                    bridge_settings(server.port), services, create_bus("memory://"), NO_AGI
                )
                await bridge.start()
                try:
                    figures = await _stall(bridge, proxy, path, stream, stall, lead)
                    direct = create_engine(url)
                    try:
                        rows = await call_rows(direct, stream.calls)
                    finally:
                        await direct.dispose()
                finally:
                    await bridge.stop()
    finally:
        await proxy.stop()
    report.figures["postgresql.stall"] = figures | {"rows": rows.__dict__, "exact": rows.exact}
    connected = figures["states"] == ["connected"] and figures["reconnects"] == 0
    report.add(Row(
        f"[postgresql] {stall:g} s database cut: AMI reader stays connected",
        f"{'yes' if connected else 'NO'} (states seen {figures['states']}, "
        f"{figures['reconnects']} reconnects, {figures['overflows']} queue overflows)",
        "connected throughout", report.check(connected, "AMI reader dropped during the stall"),
    ))  # fmt: skip
    during = figures["events_during_stall"]
    expected_during = stall * STALL_RATE
    flowing = during >= 0.9 * expected_during
    report.add(Row(
        "[postgresql] events read during the cut",
        f"{during:,} ({during / stall:,.0f} ev/s; {figures['backlog_at_restore']:,} call "
        f"batches waiting for the database at restore)",
        f"~{expected_during:,.0f}", report.check(flowing, "events stopped during the stall"),
    ))  # fmt: skip
    lost_pops = figures["pops_errors"]
    report.add(Row(
        "[postgresql] screen-pops during the cut",
        f"{figures['pops_handled_during_stall']:,} pop batches handled, {lost_pops} lost; "
        f"{figures['card_lookups_failed']:,} card lookups failed (popped without the card)",
        "none lost", report.check(lost_pops == 0, "pops lost during the stall"),
    ))  # fmt: skip
    ok = report.check(rows.exact and rows.ended == len(stream.calls), "calls after the stall")
    report.add(Row(
        "[postgresql] calls written after recovery",
        f"{rows.describe(len(stream.calls))}; all written {figures['recovery_s']:.1f} s after "
        f"restore, {figures['retries']} retries",
        "all, once", ok,
    ))  # fmt: skip


async def _stall(
    bridge: Bridge, proxy: TcpProxy, path: Path, stream: Stream, stall: float, lead: float
) -> dict[str, Any]:
    await until_connected(bridge)
    metrics = bridge.metrics
    before = fed(bridge)
    await bridge.ami.send_action(stream_action(path, STALL_RATE))
    await asyncio.sleep(lead)
    at_cut, pops_at_cut = fed(bridge), metrics.get("pops.handled")
    proxy.cut()
    states: list[str] = []
    loop = asyncio.get_running_loop()
    end = loop.time() + stall
    while loop.time() < end:
        state = str(bridge.ami.state)
        if not states or states[-1] != state:
            states.append(state)
        await asyncio.sleep(0.05)
    at_restore, pops_at_restore = fed(bridge), metrics.get("pops.handled")
    backlog = sum(stage.backlog for stage in bridge.pipeline.stages if stage.name == "calllog")
    proxy.restore()
    restored = time.perf_counter()
    timeout = stream.events / STALL_RATE + 120
    await wait_until(lambda: fed(bridge) - before >= stream.events, timeout, "the stream")
    async with asyncio.timeout(120):
        await bridge.pipeline.drain()
    return {
        "states": states, "reconnects": metrics.get("ami_reconnects"),
        "overflows": metrics.get("ami_queue_overflows"),
        "events_during_stall": at_restore - at_cut, "backlog_at_restore": backlog,
        "recovery_s": time.perf_counter() - restored,
        "retries": metrics.get("calllog.retries"), "pops_errors": metrics.get("pops.errors"),
        "card_lookups_failed": bridge.publisher.lookups_failed,
        "pops_handled_during_stall": pops_at_restore - pops_at_cut,
    }  # fmt: skip


# -- phase 5: memory per active call ------------------------------------------------------------
def _ringing_prefixes(scenarios: Sequence[Scenario]) -> list[tuple[Scenario, int]]:
    """Each scenario with the number of its events before the call is answered or ends; only
    those holding one call then (a pickup's helper dial is a second, short-lived call)."""
    out = []
    for scenario in scenarios:
        tracker = Tracker(TrackerConfig(agent_regex=scenario.agents_regex))
        rw = Rewriter(0, 0.0)
        cut = len(scenario.messages)
        for i, message in enumerate(scenario.messages):
            open_then = len(tracker)  # after messages[:i]
            events = tracker.apply(AmiEvent(message.name, render_headers(message, rw), 0.0))
            if any(isinstance(e, CallAnswered | CallEnded) for e in events):
                cut = i
                break
        else:  # never answered nor ended as a record (a refused click-to-dial): the whole stream
            open_then = len(tracker)
        if open_then == 1:
            out.append((scenario, cut))
    return out


def _traced(feed: Callable[[Tracker], None]) -> tuple[int, Tracker]:
    tracker = Tracker(TrackerConfig(agent_regex=r"^PJSIP/(1\d{3})-"))
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        feed(tracker)
        gc.collect()
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    held = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    return held, tracker


def run_memory(scenarios: Sequence[Scenario], calls: int, report: Report) -> None:
    prefixes = _ringing_prefixes(scenarios)

    def recorded(tracker: Tracker) -> None:
        for n in range(calls):
            scenario, cut = prefixes[n % len(prefixes)]
            rw = Rewriter(n + 1, 0.0)
            for message in scenario.messages[:cut]:
                tracker.apply(AmiEvent(message.name, render_headers(message, rw), 0.0))

    started = time.perf_counter()
    held, tracker = _traced(recorded)
    per_call = held / calls
    events = sum(cut for _, cut in prefixes) * calls // len(prefixes)
    report.figures["memory.recorded"] = {"calls": calls, "active": len(tracker),
                                         "bytes": held, "per_call": per_call}  # fmt: skip
    report.add(Row(
        "memory per active call (recorded call starts)",
        f"{per_call:,.0f} B ({len(tracker):,} active calls, {held / 1e6:.1f} MB, "
        f"~{events:,} events fed, {time.perf_counter() - started:.0f} s)",
        f"<= {BAR_BYTES_PER_CALL:,} B", per_call <= BAR_BYTES_PER_CALL,
    ))  # fmt: skip
    report.check(len(tracker) == calls, "memory: calls not all active")
    synthetic = _tracker_bench()
    if synthetic is not None:
        setup = synthetic.call_setup

        def fed_synthetic(tracker: Tracker) -> None:
            for n in range(calls):
                for event in setup(n, 1_700_000_000.0 + n):
                    tracker.apply(event)

        held, tracker = _traced(fed_synthetic)
        report.figures["memory.tracker_bench"] = {"calls": calls, "bytes": held}
        report.add(Row(
            "memory per active call (bench/tracker.py call_setup, up to talking)",
            f"{held / calls:,.0f} B ({len(tracker):,} active calls)",
            f"<= {BAR_BYTES_PER_CALL:,} B", held / calls <= BAR_BYTES_PER_CALL,
        ))  # fmt: skip


def _tracker_bench() -> Any:
    """bench/tracker.py (the tracker engineer's bench) as a module, if it is there."""
    path = ROOT / "bench" / "tracker.py"
    spec = importlib.util.spec_from_file_location("bench_tracker", path)
    if not path.exists() or spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module if hasattr(module, "call_setup") else None


# -- main ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Plan:
    backends: tuple[str, ...]
    throughput_events: int
    latency_seconds: float
    stall_seconds: float
    stall_lead: float
    memory_calls: int


def plan_of(args: argparse.Namespace) -> Plan:
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    seconds = args.seconds if args.seconds is not None else (3.0 if args.quick else 20.0)
    return Plan(
        backends=backends,
        throughput_events=int(seconds * BAR_EVENTS_PER_S),
        latency_seconds=seconds,
        stall_seconds=5.0 if args.quick else 30.0,
        stall_lead=2.0 if args.quick else 3.0,
        memory_calls=2_000 if args.quick else 10_000,
    )


def setup_logging() -> Counter[str]:
    """Everything to LOG_FILE; counts of warnings and errors per logger for the summary."""
    counts: Counter[str] = Counter()

    class Count(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            counts[f"{record.levelname} {record.name}"] += 1

    root = logging.getLogger()
    root.setLevel(logging.INFO)
    LOG_FILE.write_text("")
    handler = logging.FileHandler(LOG_FILE, mode="a")  # "w" would not reopen after uvicorn's
    # dictConfig closes every handler
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    counter = Count(logging.WARNING)
    root.addHandler(counter)
    return counts


async def run(plan: Plan, report: Report, workdir: Path) -> None:
    scenarios = load_scenarios()
    server = AmiServer()
    try:
        made = time.perf_counter()
        flood = build_stream(scenarios, plan.throughput_events, first_index=1)
        flood_path = flood.write(workdir / "throughput.ami")
        paced = build_stream(
            scenarios, int(plan.latency_seconds * LATENCY_RATE), first_index=1_000_001
        )
        paced_path = paced.write(workdir / "latency.ami")
        print(
            f"streams: {flood.events:,} events / {flood.copies:,} calls "
            f"({len(flood.data) / 1e6:.0f} MB, ~{flood.plateau:.0f} calls in progress at "
            f"once) and {paced.events:,} "
            f"events paced at {LATENCY_RATE:,}/s; built in {time.perf_counter() - made:.1f} s",
            flush=True,
        )
        print("baseline: plain panoramisk Manager, one sync callback", flush=True)
        baseline = await run_baseline(server, flood_path, flood)
        report.figures["baseline_events_per_s"] = baseline
        report.add(Row("parse-only baseline (panoramisk, same stream and server)",
                       f"{baseline:,.0f} ev/s", "", None, "1.00x"))  # fmt: skip
        for backend in plan.backends:
            print(f"throughput on {backend}", flush=True)
            await run_throughput(backend, server, flood_path, flood, workdir, baseline, report)
            print(f"ring-to-pop latency on {backend}", flush=True)
            await run_latency(backend, server, paced_path, paced, workdir, report)
        if "postgresql" in plan.backends:
            print(f"database cut of {plan.stall_seconds:g} s on postgresql", flush=True)
            events = int((plan.stall_lead + plan.stall_seconds + 5) * STALL_RATE)
            stalled = build_stream(scenarios, events, first_index=2_000_001)
            stall_path = stalled.write(workdir / "stall.ami")
            await run_stall(server, stall_path, stalled, workdir, plan.stall_seconds,
                            plan.stall_lead, report)  # fmt: skip
    finally:
        server.stop()
    print(f"memory: {plan.memory_calls:,} calls ringing at once (tracemalloc)", flush=True)
    run_memory(scenarios, plan.memory_calls, report)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--seconds", type=float, default=None,
                        help="stream length: N*5,000 events at full speed and N s at 1,000 "
                             "events/s for the latency (default 20; --quick 3)")  # fmt: skip
    parser.add_argument(
        "--quick",
        action="store_true",
        help="small sizes for the smoke test (5 s cut, 2,000 calls for memory)",
    )
    parser.add_argument(
        "--loop",
        choices=("uvloop", "asyncio"),
        default="uvloop",
        help="uvloop, as `cti serve` runs under uvicorn (default)",
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--strict", action="store_true", help="exit 2 when a bar is missed")
    args = parser.parse_args(argv)
    plan = plan_of(args)
    counts = setup_logging()
    report = Report()
    began = time.perf_counter()
    load_at_start = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    with tempfile.TemporaryDirectory(prefix="cti-bench-") as tmp:
        coroutine = run(plan, report, Path(tmp))
        if args.loop == "uvloop":
            import uvloop

            uvloop.run(coroutine)
        else:
            asyncio.run(coroutine)
    elapsed = time.perf_counter() - began
    print()
    print(report.table())
    print()
    noise = ", ".join(f"{n} {what}" for what, n in counts.most_common(6)) or "none"
    print(f"log warnings/errors: {noise} (log: {LOG_FILE})")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"total {elapsed:.0f} s; loop {args.loop}; {os.cpu_count()} CPUs; load average {load}")
    print(f"load average at start {load_at_start} (other work on this machine skews the figures)")
    report.figures |= {"broken": report.broken, "seconds": elapsed, "log": dict(counts)}
    if args.json is not None:
        args.json.write_text(json.dumps(report.figures, indent=2, default=str))
    if report.broken:
        print("BROKEN: " + "; ".join(report.broken))
        return 1
    missed = [row.metric for row in report.rows if row.passed is False]
    return 2 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
