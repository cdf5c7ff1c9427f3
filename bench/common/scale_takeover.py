"""bench/scale.py's takeover part: SIGKILL of the active ingest, `trials` times, while the
sandbox's simulated traffic goes on; how long until the standby holds the lease, and until its
takeover's writes are committed; every record compared with an undisturbed control bridge.

An ingest pair (`cti serve --role ingest` x 2 on one PostgreSQL database and Redis) and a control
(`cti serve`, its own SQLite database) watch the same calls (`cti simulate`'s random mix). Each
trial waits until the standby is connected and following, kills the active one at a random
moment, times the takeover from the kill (the new holder's `since` and `first_write_at` in its
`/api/bridge/status`; one clock: the same machine), and restarts the killed one as the next
standby. After the traffic, with Asterisk idle and both bridges settled, every record of the
pair's database is compared with the control's by linkedid (lost, doubled, ghost, wrong:
bench/common/faults_compare.py), overall and for the calls in flight at each kill. The lease's
lock is sampled all along: at most one session may hold it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import statistics
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]

from bench.common.faults_bridge import BridgeProcess
from bench.common.faults_compare import Comparison, compare_with_control
from bench.common.faults_records import Record, create_database, drop_database, read_records
from bench.common.faults_round import settle, wait_idle
from bench.common.faults_truth import TruthTraffic
from cti.ingest.lease import asyncpg_dsn, lock_key
from cti.sandbox.manager import Sandbox
from cti.sandbox.sim.traffic import TrafficMix
from cti.sandbox.sim.world import open_world

BAR_SECONDS = 2.0
BARS = ("lost", "doubled", "ghost", "wrong")
REDIS_URL = "redis://127.0.0.1:6379/0"
FOLLOW_SECONDS = 3.0  # a restarted standby connected this long before the next kill
LEASE_NAME = "bench-takeover"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("takeover")
    group.add_argument("--takeover-trials", type=int, default=20, help="SIGKILLs of the active")
    group.add_argument("--takeover-rate", type=float, default=0.5, help="new calls per second")
    group.add_argument("--takeover-seed", type=int, default=14)


@dataclass
class Trial:
    number: int
    killed: str
    killed_at: float  # wall clock
    lease_seconds: float = float("nan")
    write_seconds: float = float("nan")
    token: int = 0
    in_flight: list[str] = field(default_factory=list)  # the control's linkedids open at the kill
    bad: dict[str, int] = field(default_factory=dict)


@dataclass
class Watch:
    most_holders: int = 0
    both_active: int = 0
    samples: int = 0


async def run(args: argparse.Namespace, sandbox: Sandbox, workdir: Path) -> bool:
    trials = args.takeover_trials
    rng = random.Random(args.takeover_seed)
    ami = sandbox.connection_info()
    control_db = await create_database("sqlite", workdir, "control")
    pair_db = await create_database("postgresql", workdir, "pair")
    pair_env = {"CTI_LEASE_NAME": LEASE_NAME, "CTI_AMI_PING_INTERVAL": "1"}
    cel = str(sandbox.layout.cel_log)  # every bridge alike, as `make run` and compose set it
    control = BridgeProcess("control", workdir, control_db, ami.port, cel_path=cel)
    a, b = (
        BridgeProcess(
            name, workdir, pair_db, ami.port, REDIS_URL, cel, role="ingest", extra_env=pair_env
        )
        for name in ("ingest-a", "ingest-b")
    )
    done = asyncio.Event()
    watch = Watch()
    results: list[Trial] = []
    try:
        a.start()
        await _until(lambda: _held(a), 60, "ingest-a never took the lease")
        for bridge in (b, control):
            bridge.start()
        await asyncio.gather(*(x.wait_connected() for x in (a, b, control)))
        watcher = asyncio.create_task(_watch(pair_db.url, (a, b), watch, done))
        async with open_world(sandbox.settings, stub_agi=None, media=False) as world:
            await asyncio.sleep(1)
            traffic = TruthTraffic(world, TrafficMix(), args.takeover_seed)
            # calls until the last trial: then no new ones, and the placed ones end
            placing = asyncio.create_task(traffic.run(1_000_000, args.takeover_rate))
            await asyncio.sleep(8)  # calls in every state before the first kill
            active, standby = a, b
            for number in range(1, trials + 1):
                await standby.wait_connected()
                await asyncio.sleep(FOLLOW_SECONDS + rng.uniform(0, 3))
                trial = Trial(number, active.name, time.time())
                active.kill()
                await _timed(trial, standby)
                results.append(trial)
                print(
                    f"  trial {number:2}: {active.name} killed; {standby.name} held the lease "
                    f"after {trial.lease_seconds * 1000:.0f} ms, wrote after "
                    f"{trial.write_seconds * 1000:.0f} ms (token {trial.token})", flush=True,
                )  # fmt: skip
                active.start()  # back as the standby
                active, standby = standby, active
            traffic.open_for_calls.clear()
            await _until_ended(traffic)
            placing.cancel()
            await asyncio.gather(placing, return_exceptions=True)
            await wait_idle(sandbox)
            with contextlib.suppress(Exception):
                await world.ami.close()
        settled = await settle([control, active])
        done.set()
        await watcher
        control_records = await read_records(control_db)
        pair_records = await read_records(pair_db)
        overall = compare_with_control(control_records, pair_records)
        for trial in results:
            trial.in_flight = [
                r.linkedid for r in control_records.values()
                if r.started_at <= trial.killed_at and (r.ended_at or 1e12) >= trial.killed_at
            ]  # fmt: skip
            flight = set(trial.in_flight)
            trial.bad = {
                kind: sum(1 for f in overall.findings if f.kind == kind and _id(f.call) in flight)
                for kind in BARS
            }
        for finding in overall.findings:  # where it sits against the kills
            record = control_records.get(_id(finding.call))
            if record is not None:
                print(_against_kills(finding.kind, record, results))
        return _report(results, overall, watch, len(control_records), settled)
    finally:
        done.set()
        for bridge in (a, b, control):
            bridge.stop()
        await drop_database(pair_db)


def _id(label: str) -> str:
    """A finding names its call `LINKEDID (direction caller -> callee)`."""
    return label.split(" ", 1)[0]


def _against_kills(kind: str, record: Record, trials: list[Trial]) -> str:
    near = min(trials, key=lambda t: abs(t.killed_at - record.started_at))
    began = record.started_at - near.killed_at
    lasted = (record.ended_at or record.started_at) - record.started_at
    return (
        f"  {kind} {record.linkedid}: began {began:+.1f} s from kill {near.number}, {lasted:.1f} s"
    )


async def _until_ended(traffic: TruthTraffic) -> None:
    deadline = time.monotonic() + 180
    while traffic.active() and time.monotonic() < deadline:  # noqa: ASYNC110 (polled state)
        await asyncio.sleep(0.5)


async def _timed(trial: Trial, standby: BridgeProcess) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        status = await standby.status()
        lease = (status or {}).get("lease") or {}
        if lease.get("held") and lease.get("first_write_at"):
            trial.token = int(lease["token"])
            trial.lease_seconds = _stamp(lease["since"]) - trial.killed_at
            trial.write_seconds = _stamp(lease["first_write_at"]) - trial.killed_at
            return
        await asyncio.sleep(0.02)
    raise TimeoutError(f"trial {trial.number}: {standby.name} did not take over in 30 s")


def _stamp(iso: str) -> float:
    return datetime.fromisoformat(iso).timestamp()


async def _held(bridge: BridgeProcess) -> bool:
    status = await bridge.status()
    return bool(((status or {}).get("lease") or {}).get("held"))


async def _until(check: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await check():
            return
        await asyncio.sleep(0.2)
    raise TimeoutError(what)


async def _watch(
    url: str, pair: tuple[BridgeProcess, BridgeProcess], watch: Watch, done: asyncio.Event
) -> None:
    """Sessions holding the lease's lock (pg_locks), and both ingests saying they hold it."""
    connection = await asyncpg.connect(asyncpg_dsn(url))
    sql = (
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
        " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        " AND ((classid::bigint << 32) | objid::bigint) = $1"
    )
    key = lock_key(LEASE_NAME)  # PostgreSQL shifts into the sign as the key is built
    try:
        while not done.is_set():
            holders = int(await connection.fetchval(sql, key))
            watch.most_holders = max(watch.most_holders, holders)
            held = [await _held(bridge) for bridge in pair if bridge.alive]
            watch.both_active += sum(held) > 1
            watch.samples += 1
            await asyncio.sleep(0.1)
    finally:
        await connection.close()


def _report(
    trials: list[Trial], overall: Comparison, watch: Watch, calls: int, settled: dict[str, bool]
) -> bool:
    leases = [t.lease_seconds for t in trials]
    writes = [t.write_seconds for t in trials]
    bad = {kind: overall.count(kind) for kind in BARS}
    in_flight = sum(len(t.in_flight) for t in trials)
    flight_bad = {kind: sum(t.bad[kind] for t in trials) for kind in BARS}
    ok_time = max(writes) <= BAR_SECONDS
    ok_records = not any(bad.values()) and watch.most_holders <= 1 and watch.both_active == 0
    print()
    print(f"takeover: {len(trials)} SIGKILLs of the active ingest, {calls} calls (control)")
    print(
        f"  kill -> standby holds the lease: p50 {statistics.median(leases) * 1000:.0f} ms,"
        f" worst {max(leases) * 1000:.0f} ms"
    )
    print(
        f"  kill -> its takeover written:    p50 {statistics.median(writes) * 1000:.0f} ms,"
        f" worst {max(writes) * 1000:.0f} ms   (bar {BAR_SECONDS:.0f} s: "
        f"{'met' if ok_time else 'NOT met'})"
    )
    print(f"  records vs the control: {bad} over {overall.compared} calls; calls in flight at")
    print(f"    the kills: {in_flight}, of them {flight_bad}; settled: {settled}")
    print(
        f"  the lease's lock: at most {watch.most_holders} holder(s) over {watch.samples} "
        f"samples; both ingests holding at once: {watch.both_active}"
    )
    for finding in overall.findings[:20]:
        print("   ", finding.describe())
    return ok_time and ok_records
