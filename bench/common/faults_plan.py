"""The faults the harness can inflict, and what each does to one bridge under test.

A fault is `local` (only its own bridge under test is disturbed: several local trials share one
traffic run, each at its own time, and the control watches undisturbed) or `asterisk` (Asterisk
itself is restarted, which disturbs the control too: those trials are judged against the
simulator's ground truth).
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bench.common.faults_bridge import BridgeProcess
from bench.common.faults_pops import PopWatch

POP_RESUME_TIMEOUT = 30.0
HALF_OPEN_LIMIT = 60.0


@dataclass
class Trial:
    """One bridge under test x one fault. `at`: seconds after traffic starts."""

    fault: str
    backend: str
    at: float = 0.0
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def spec(self) -> FaultSpec:
        return FAULTS[self.fault]

    @property
    def row(self) -> str:
        return f"{self.fault} ({self.backend})"


Action = Callable[[BridgeProcess, Trial], Awaitable[None]]


@dataclass(frozen=True)
class FaultSpec:
    name: str
    scope: str  # local | asterisk
    default_trials: int
    seconds: float  # how long the fault lasts (for planning the traffic's length)
    what: str
    action: Action | None = None  # local faults
    proxies: tuple[str, ...] = ("ami",)  # which connections of the bridge go through a proxy
    kills_bridge: bool = False  # asterisk faults: the bridge is killed too
    crash: bool = False  # asterisk faults: SIGKILL Asterisk (no Hangup events) before the start


async def _nothing(_bridge: BridgeProcess, _trial: Trial) -> None:
    return None


def _kill(seconds: float) -> Action:
    async def kill_and_restart(bridge: BridgeProcess, trial: Trial) -> None:
        bridge.kill()
        await asyncio.sleep(seconds)
        bridge.start()
        started = time.monotonic()
        await bridge.wait_connected()
        trial.notes["reconnect_s"] = round(time.monotonic() - started, 1)

    return kill_and_restart


def _ami_cut(seconds: float) -> Action:
    async def cut(bridge: BridgeProcess, _trial: Trial) -> None:
        assert bridge.ami_proxy is not None
        bridge.ami_proxy.cut()
        await asyncio.sleep(seconds)
        bridge.ami_proxy.restore()

    return cut


async def _half_open(bridge: BridgeProcess, trial: Trial) -> None:
    proxy = bridge.ami_proxy
    assert proxy is not None
    started = time.monotonic()
    proxy.blackhole()
    try:
        await asyncio.wait_for(proxy.reconnected.wait(), HALF_OPEN_LIMIT)
        trial.notes["noticed_s"] = round(time.monotonic() - started, 1)
    except TimeoutError:
        trial.notes["noticed_s"] = None  # the watchdog never noticed: a finding of its own
    proxy.release_blackholed()


async def _database_down(bridge: BridgeProcess, _trial: Trial) -> None:
    seconds = FAULTS["db_down"].seconds
    if bridge.database.sqlite_path is not None:
        await asyncio.to_thread(_hold_sqlite_lock, str(bridge.database.sqlite_path), seconds)
        return
    assert bridge.db_proxy is not None
    bridge.db_proxy.cut()
    await asyncio.sleep(seconds)
    bridge.db_proxy.restore()


def _hold_sqlite_lock(path: str, seconds: float) -> None:
    """SQLite has no server to cut: an exclusive lock makes every write fail (busy) meanwhile."""
    connection = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        connection.execute("BEGIN EXCLUSIVE")
        time.sleep(seconds)
        connection.execute("ROLLBACK")
    finally:
        connection.close()


async def _redis_down(bridge: BridgeProcess, trial: Trial) -> None:
    """Pops after the outage: on the socket opened before it (`pops_resumed`; a page whose
    socket the server closed reconnects, `ws_reconnects`), and on a socket opened after it
    (`pops_new_socket`), which tells a dead bus from a dead subscription."""
    assert bridge.bus_proxy is not None
    watch = PopWatch(bridge.url)
    await watch.start()
    fresh = PopWatch(bridge.url)
    try:
        await asyncio.sleep(6)  # rings before the outage: the socket works
        bridge.bus_proxy.cut()
        trial.notes["rings_before"] = len(watch.rings)
        await asyncio.sleep(FAULTS["redis_down"].seconds)
        bridge.bus_proxy.restore()
        restored = time.time()
        await fresh.start()
        trial.notes["pops_resumed"] = await watch.ring_after(restored, POP_RESUME_TIMEOUT)
        trial.notes["pops_new_socket"] = await fresh.ring_after(restored, 5)
        trial.notes["ws_reconnects"] = watch.reconnects
    finally:
        await watch.stop()
        await fresh.stop()


FAULTS: dict[str, FaultSpec] = {
    spec.name: spec
    for spec in (
        FaultSpec("none", "local", 3, 0, "an undisturbed second bridge (must be all 0)", _nothing),
        FaultSpec("kill5", "local", 20, 5, "SIGKILL, restart after 5 s", _kill(5)),
        FaultSpec("kill60", "local", 20, 60, "SIGKILL, restart after 60 s", _kill(60)),
        FaultSpec("ami_cut5", "local", 20, 5, "AMI TCP connection cut for 5 s", _ami_cut(5)),
        FaultSpec("ami_cut60", "local", 20, 60, "AMI TCP connection cut for 60 s", _ami_cut(60)),
        FaultSpec(
            "ami_halfopen",
            "local",
            20,
            20,
            "AMI half-open (nothing forwarded, no close)",
            _half_open,
        ),
        FaultSpec(
            "db_down",
            "local",
            5,
            30,
            "database unreachable for 30 s",
            _database_down,
            ("ami", "db"),
        ),
        FaultSpec(
            "redis_down",
            "local",
            5,
            30,
            "Redis bus unreachable for 30 s; pops resume?",
            _redis_down,
            ("ami", "bus"),
        ),
        FaultSpec("asterisk_restart", "asterisk", 5, 15, "Asterisk restarted mid-call"),
        FaultSpec(
            "asterisk_crash", "asterisk", 5, 15, "Asterisk SIGKILLed mid-call, started", crash=True
        ),
        FaultSpec(
            "both_restart",
            "asterisk",
            5,
            15,
            "bridge (SIGKILL) and Asterisk restarted",
            kills_bridge=True,
        ),
    )
}
