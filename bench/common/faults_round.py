"""One traffic run of the fault harness: a control bridge and some bridges under test watch the
same simulated calls; each bridge under test suffers its fault at its own time; when the
traffic is over and Asterisk is idle, every bridge is left to settle and its records are judged.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import time
from collections.abc import Awaitable
from dataclasses import dataclass, field
from pathlib import Path

from bench.common.faults_bridge import BridgeProcess
from bench.common.faults_compare import Comparison, compare_with_control, compare_with_truth
from bench.common.faults_plan import Trial
from bench.common.faults_proxy import FaultProxy
from bench.common.faults_records import (
    PG_HOST,
    PG_PORT,
    Record,
    create_database,
    drop_database,
    read_records,
)
from bench.common.faults_truth import TruthCall, TruthTraffic
from cti.sandbox import process
from cti.sandbox.manager import Sandbox
from cti.sandbox.recorder import RawRecorder
from cti.sandbox.sim.traffic import TrafficMix
from cti.sandbox.sim.world import open_world

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
SETTLE_QUIET_SECONDS = 4.0
SETTLE_LIMIT_SECONDS = 60.0
IDLE_LIMIT_SECONDS = 180.0


@dataclass
class RoundPlan:
    trials: list[Trial]
    calls: int
    rate: float
    seed: int
    restart_at: float | None = None  # Asterisk is restarted at this second of traffic
    record_ami: bool = False  # keep the raw AMI stream of the round in <workdir>/ami.raw


@dataclass
class TrialResult:
    trial: Trial
    versus_control: Comparison | None  # None for asterisk-scope faults
    versus_truth: Comparison
    settled: bool


@dataclass
class RoundResult:
    plan: RoundPlan
    trials: list[TrialResult]
    control_vs_truth: Comparison
    truth: list[TruthCall]
    control_settled: bool
    seconds: float
    notes: dict[str, object] = field(default_factory=dict)


async def run_round(plan: RoundPlan, workdir: Path, sandbox: Sandbox) -> RoundResult:
    began = time.monotonic()
    ami = sandbox.connection_info()
    async with contextlib.AsyncExitStack() as stack:
        cel = str(sandbox.layout.cel_log)  # every bridge alike: as `make run` configures it
        control = await _bridge(stack, workdir, "control", "sqlite", ami.port, (), cel)
        tests = [
            await _bridge(
                stack,
                workdir,
                f"t{i}-{trial.fault}",
                trial.backend,
                ami.port,
                trial.spec.proxies,
                cel,
            )
            for i, trial in enumerate(plan.trials)
        ]
        everyone = [control, *tests]
        for bridge in everyone:
            bridge.start()
        await asyncio.gather(*(bridge.wait_connected() for bridge in everyone))
        if plan.record_ami:
            await _record_ami(stack, sandbox, workdir / "ami.raw")
        truth = await _traffic(plan, sandbox, control, tests)
        settled = await settle(everyone)
        control_records = await read_records(control.database)
        placed = truth.placed()
        results = []
        for trial, bridge in zip(plan.trials, tests, strict=True):
            records = await read_records(bridge.database)
            local = trial.spec.scope == "local"
            results.append(
                TrialResult(
                    trial,
                    compare_with_control(control_records, records) if local else None,
                    compare_with_truth(placed, records),
                    settled[bridge.name],
                )
            )
        cut = sum(call.cut_by_restart for call in placed)
        for trial in plan.trials:
            if trial.spec.scope == "asterisk":
                trial.notes["calls_cut"] = cut
        return RoundResult(
            plan,
            results,
            compare_with_truth(placed, control_records),
            placed,
            settled[control.name],
            time.monotonic() - began,
        )
    raise AssertionError("unreachable")


async def _bridge(
    stack: contextlib.AsyncExitStack,
    workdir: Path,
    name: str,
    backend: str,
    ami_port: int,
    proxied: tuple[str, ...],
    cel_path: str,
) -> BridgeProcess:
    database = await create_database(backend, workdir, name)
    stack.push_async_callback(drop_database, database)
    bridge = BridgeProcess(name, workdir, database, ami_port, cel_path=cel_path)
    stack.callback(bridge.stop)
    if "ami" in proxied:
        bridge.ami_proxy = await _proxy(stack, "127.0.0.1", ami_port)
        bridge.ami_port = bridge.ami_proxy.port
    if "db" in proxied and backend == "postgresql":
        bridge.db_proxy = await _proxy(stack, PG_HOST, PG_PORT)
        database.served_url = database.url.replace(
            f"{PG_HOST}:{PG_PORT}", f"127.0.0.1:{bridge.db_proxy.port}"
        )
    if "bus" in proxied:
        bridge.bus_proxy = await _proxy(stack, REDIS_HOST, REDIS_PORT)
        bridge.bus_url = f"redis://127.0.0.1:{bridge.bus_proxy.port}/0"
    return bridge


async def _record_ami(stack: contextlib.AsyncExitStack, sandbox: Sandbox, path: Path) -> None:
    """The raw AMI stream (user `recorder`), to look up the events around a wrong record.
    Stops at an Asterisk restart: the rest of such a round is not recorded."""
    recorder = RawRecorder(sandbox.settings.account("recorder"), path)
    await recorder.start()

    async def stop() -> None:
        with contextlib.suppress(Exception):
            await recorder.stop()

    stack.push_async_callback(stop)


async def _proxy(stack: contextlib.AsyncExitStack, host: str, port: int) -> FaultProxy:
    proxy = FaultProxy(host, port)
    await proxy.start()
    stack.push_async_callback(proxy.stop)
    return proxy


async def _traffic(
    plan: RoundPlan, sandbox: Sandbox, control: BridgeProcess, tests: list[BridgeProcess]
) -> TruthTraffic:
    async with open_world(sandbox.settings, stub_agi=None, media=False) as world:
        await asyncio.sleep(1)  # queue members become available after registering
        traffic = TruthTraffic(world, TrafficMix(), plan.seed)
        began = time.monotonic()
        jobs: list[asyncio.Task[object]] = [asyncio.create_task(traffic.run(plan.calls, plan.rate))]
        for trial, bridge in zip(plan.trials, tests, strict=True):
            if trial.spec.action is not None and trial.spec.scope == "local":
                jobs.append(
                    asyncio.create_task(_at(began + trial.at, trial.spec.action(bridge, trial)))
                )
        if plan.restart_at is not None:
            killed = [b for t, b in zip(plan.trials, tests, strict=True) if t.spec.kills_bridge]
            crash = any(trial.spec.crash for trial in plan.trials)
            restart = _restart_asterisk(sandbox, traffic, [control, *tests], killed, crash)
            jobs.append(asyncio.create_task(_at(began + plan.restart_at, restart)))
        try:
            await asyncio.gather(*jobs)
            await wait_idle(sandbox)
        finally:
            with contextlib.suppress(Exception):
                await world.ami.close()
    return traffic


async def _at(when: float, job: Awaitable[None]) -> None:
    await asyncio.sleep(max(0.0, when - time.monotonic()))
    await job


async def _restart_asterisk(
    sandbox: Sandbox,
    traffic: TruthTraffic,
    bridges: list[BridgeProcess],
    killed: list[BridgeProcess],
    crash: bool,
) -> None:
    """Graceful: `cti sandbox up` (SIGTERM: Asterisk hangs every channel up, AMI shows it);
    crash: SIGKILL first, so no Hangup event is ever sent for the calls that die."""
    traffic.open_for_calls.clear()
    await asyncio.sleep(2)  # no call is half-way through its INVITE
    traffic.mark_cut()
    for bridge in killed:
        bridge.kill()
    if crash:
        for pid in process.strays(sandbox.layout):
            os.kill(pid, signal.SIGKILL)
    await asyncio.to_thread(sandbox.up, False)
    traffic.forget_all_legs()
    await traffic.world.phones.register_all()
    for bridge in killed:
        bridge.start()
    await asyncio.gather(*(bridge.wait_connected(90) for bridge in bridges))
    await asyncio.sleep(1)
    traffic.open_for_calls.set()


async def wait_idle(sandbox: Sandbox) -> None:
    """Until Asterisk has no channel left."""
    deadline = time.monotonic() + IDLE_LIMIT_SECONDS
    while time.monotonic() < deadline:
        output = await asyncio.to_thread(sandbox.cli, "core show channels count")
        found = re.search(r"(\d+) active channels?", output)
        if found is not None and int(found.group(1)) == 0:
            return
        await asyncio.sleep(0.5)
    raise TimeoutError("Asterisk still has channels after the traffic ended")


async def settle(bridges: list[BridgeProcess]) -> dict[str, bool]:
    """Wait until every bridge is connected, tracks no call and its records stopped changing
    for SETTLE_QUIET_SECONDS (at most SETTLE_LIMIT_SECONDS). Which ones settled."""
    snapshots: dict[str, dict[str, Record]] = {}
    quiet_since = {bridge.name: time.monotonic() for bridge in bridges}
    settled = {bridge.name: False for bridge in bridges}
    deadline = time.monotonic() + SETTLE_LIMIT_SECONDS
    while time.monotonic() < deadline and not all(settled.values()):
        for bridge in bridges:
            records = await read_records(bridge.database)
            status = await bridge.status() or {}
            idle = status.get("state") == "connected" and status.get("active_calls") == 0
            if records != snapshots.get(bridge.name) or not idle:
                snapshots[bridge.name] = records
                quiet_since[bridge.name] = time.monotonic()
            settled[bridge.name] = (
                time.monotonic() - quiet_since[bridge.name] >= SETTLE_QUIET_SECONDS
            )
        await asyncio.sleep(0.5)
    return settled
