"""A standby ingest that takes over, on the sandbox Asterisk: two `cti serve --role ingest`
processes on one PostgreSQL database and Redis (one active under the lease, one hot standby),
and an undisturbed control bridge (`cti serve`, its own SQLite database) watching the same calls.

1. While a queue call rings (nobody answers in `sales`) and another is answered (`support`), the
   active ingest is SIGKILLed. The standby takes the lease (token 2) and writes; the calls end
   after the takeover and a new call comes and goes. Every record of the pair's database equals
   the control's (bench/common/faults_compare: 0 lost, doubled, ghost, wrong), none left open.
2. The killed one comes back as the standby. The active one is SIGSTOPped (a paused VM): the
   standby takes over (token 3) once PostgreSQL ended the paused holder's session; calls go on.
   Resumed (SIGCONT), the deposed one notices it lost the lease and steps down to standby; its
   stale writes, if any, are refused by the fence: every record still equals the control's.
Throughout, the lease's lock is held by at most one session (pg_locks), and whenever both
ingests answer, at most one says it is active."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import httpx
import pytest
import pytest_asyncio

from bench.common.faults_compare import Comparison, compare_with_control
from bench.common.faults_records import DatabaseTarget, create_database, read_records
from bench.common.faults_round import wait_idle
from cti.ingest.lease import asyncpg_dsn, lock_key
from cti.sandbox.manager import ConnectionInfo, Sandbox
from cti.sandbox.settings import SandboxSettings
from cti.sandbox.sim.scenario_kit import CUSTOMER, CUSTOMER_NAME, SALES, SUPPORT
from cti.sandbox.sim.world import World, open_world
from cti.sandbox.sip.calls import NO_ANSWER, AnswerPlan
from tests.fixtures.processes import Deployment, Served

pytestmark = pytest.mark.asterisk
SALES_AGENTS = ["1001", "1002", "1003"]
SUPPORT_AGENTS = ["1004", "1005", "1006"]
BARS = ("lost", "doubled", "ghost", "wrong")
SECOND_CALLER = ("+420601000002", "Jana Dvořáková")


@dataclass
class Pair:
    deployment: Deployment
    a: Served
    b: Served
    control: Served
    control_db: DatabaseTarget
    pair_db: DatabaseTarget


def status(served: Served) -> dict[str, Any]:
    answer = httpx.get(served.url + "/api/bridge/status", timeout=2)
    answer.raise_for_status()
    return dict(answer.json())


def lease(served: Served) -> dict[str, Any]:
    return dict(status(served)["lease"])


def until(condition: Any, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise AssertionError(f"{what}: not within {timeout} s")


class Watch:
    """Samples, in a thread, who says it is active and how many sessions hold the lock."""

    def __init__(self, pair: Pair) -> None:
        self.pair = pair
        self.both_active = 0
        self.most_holders = 0
        self.samples = 0
        self.skip: set[str] = set()  # a paused process, and the moment after its resume
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Watch:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(10)

    def _run(self) -> None:
        asyncio.run(self._sample())

    async def _sample(self) -> None:
        connection = await asyncpg.connect(asyncpg_dsn(self.pair.pair_db.url))
        key = lock_key("ingest")
        sql = (
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            " AND ((classid::bigint << 32) | objid::bigint) = $1"
        )
        try:
            while not self._stop.is_set():
                holders = int(await connection.fetchval(sql, key))
                self.most_holders = max(self.most_holders, holders)
                roles = []
                for served in (self.pair.a, self.pair.b):
                    if served.name in self.skip:
                        continue
                    with contextlib.suppress(httpx.HTTPError):
                        roles.append(await asyncio.to_thread(lease, served))
                self.both_active += sum(r["held"] for r in roles) > 1
                self.samples += 1
                await asyncio.sleep(0.05)
        finally:
            await connection.close()


@pytest_asyncio.fixture(scope="module")
async def pair(
    scaled_database: str, redis_url: str, asterisk: ConnectionInfo,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[Pair]:  # fmt: skip
    folder = tmp_path_factory.mktemp("takeover")
    deployment = Deployment(scaled_database, redis_url, folder)
    deployment.ami = (asterisk.host, asterisk.port, asterisk.user, asterisk.secret)
    control_db = await create_database("sqlite", folder, "control")
    pair_db = DatabaseTarget("postgresql", scaled_database, scaled_database)
    try:
        a = deployment.add("ingest-a", "ingest")
        await asyncio.to_thread(a.wait, "/readyz")  # AMI connected, the lease taken
        b = deployment.add("ingest-b", "ingest")
        await asyncio.to_thread(b.wait, "/readyz")  # AMI connected, a standby
        control = deployment.add(
            "control", "all", CTI_DATABASE_URL=control_db.url, CTI_BUS_URL="memory://"
        )
        await asyncio.to_thread(control.wait, "/readyz")
        yield Pair(deployment, a, b, control, control_db, pair_db)
    finally:
        for served in deployment.processes:
            if served.process is not None and served.process.poll() is None:
                served.process.send_signal(signal.SIGCONT)
        await asyncio.to_thread(deployment.stop)


@pytest.fixture(scope="module")
def world_plans() -> dict[str, AnswerPlan]:
    plans = {ext: NO_ANSWER for ext in SALES_AGENTS}
    plans |= {ext: AnswerPlan(answer_after=1.0, talk=None) for ext in SUPPORT_AGENTS}
    return plans


async def open_records(pair: Pair) -> dict[str, Any]:
    return {k: r for k, r in (await read_records(pair.pair_db)).items() if r.ended_at is None}


async def settled(pair: Pair, sandbox: Sandbox) -> None:
    await wait_idle(sandbox)

    def idle() -> bool:
        return all(status(s)["active_calls"] == 0 for s in (pair.control, active_of(pair)))

    await asyncio.to_thread(until, idle, "the bridges still track calls")
    await asyncio.sleep(3)  # the last writes


def active_of(pair: Pair) -> Served:
    for served in (pair.a, pair.b):
        try:
            if lease(served)["held"]:
                return served
        except httpx.HTTPError:
            continue
    raise AssertionError("no ingest holds the lease")


async def judged(pair: Pair) -> Comparison:
    control = await read_records(pair.control_db)
    mine = await read_records(pair.pair_db)
    assert control, "the control recorded nothing"
    return compare_with_control(control, mine)


def assert_clean(comparison: Comparison) -> None:
    counts = {kind: comparison.count(kind) for kind in BARS}
    details = "\n".join(finding.describe() for finding in comparison.findings)
    assert counts == dict.fromkeys(BARS, 0), details


async def a_short_call(world: World) -> None:
    dialog = await world.carrier.call(SUPPORT, "+420601000003", "Ida Malá")
    await asyncio.sleep(4)
    await world.carrier.hang_up(dialog)


async def test_the_standby_takes_over_a_sigkilled_active_and_every_record_is_right(
    pair: Pair, sandbox: Sandbox, world_plans: dict[str, AnswerPlan]
) -> None:
    assert lease(pair.a)["role"] == "active"
    assert lease(pair.a)["token"] == 1
    standby = lease(pair.b)
    assert (standby["role"], standby["held"]) == ("standby", False)
    ready = await asyncio.to_thread(httpx.get, pair.b.url + "/readyz")
    assert ready.status_code == 200
    assert ready.json()["lease"] == "standby"
    with Watch(pair) as watch:
        async with open_world(SandboxSettings.from_env(), stub_agi=None) as world:
            world.phones.plans.update(world_plans)
            await asyncio.sleep(1)
            ringing = await world.carrier.call(SALES, CUSTOMER, CUSTOMER_NAME)
            talking = await world.carrier.call(SUPPORT, *SECOND_CALLER)

            async def both_written() -> bool:  # the call log writes a start, then the end
                return len(await open_records(pair)) == 2

            deadline = time.monotonic() + 30
            while not await both_written():
                assert time.monotonic() < deadline, (
                    f"the active did not write both calls: {await open_records(pair)}, "
                    f"{await read_records(pair.control_db)}, {status(pair.a)}"
                )
                await asyncio.sleep(0.2)
            await asyncio.sleep(4)  # support's agent answered after 1 s; sales' phones ring
            watch.skip.add(pair.a.name)
            pair.a.kill()
            await asyncio.to_thread(
                until, lambda: lease(pair.b)["first_write_at"] is not None, "no takeover", 10
            )
            took = lease(pair.b)
            assert took["token"] == 2
            assert took["role"] == "active"
            await asyncio.sleep(2)  # the calls go on under the new active
            await world.carrier.hang_up(ringing)
            await world.carrier.hang_up(talking)
            await a_short_call(world)
            await settled(pair, sandbox)
    assert_clean(await judged(pair))
    assert await open_records(pair) == {}
    assert len(await read_records(pair.pair_db)) == 3
    assert watch.samples > 10
    assert watch.most_holders == 1
    assert watch.both_active == 0


async def test_a_paused_active_resumed_after_the_takeover_writes_nothing_and_steps_down(
    pair: Pair, sandbox: Sandbox, world_plans: dict[str, AnswerPlan]
) -> None:
    pair.a.start()  # the killed one comes back: a standby now
    await asyncio.to_thread(pair.a.wait, "/readyz")
    assert lease(pair.a)["role"] == "standby"
    active, standby = pair.b, pair.a
    before = len(await read_records(pair.pair_db))
    with Watch(pair) as watch:
        async with open_world(SandboxSettings.from_env(), stub_agi=None) as world:
            world.phones.plans.update(world_plans)
            await asyncio.sleep(1)
            ringing = await world.carrier.call(SALES, CUSTOMER, CUSTOMER_NAME)
            deadline = time.monotonic() + 30
            while len(await open_records(pair)) != 1:
                assert time.monotonic() < deadline, "the active did not write the call"
                await asyncio.sleep(0.2)
            watch.skip.add(active.name)
            assert active.process is not None
            active.process.send_signal(signal.SIGSTOP)
            await asyncio.to_thread(
                until, lambda: lease(standby)["token"] == 3, "the standby did not take over", 20
            )
            await world.carrier.hang_up(ringing)  # while the deposed one is paused
            await a_short_call(world)
            await wait_idle(sandbox)
            active.process.send_signal(signal.SIGCONT)
            await asyncio.to_thread(
                until, lambda: lease(active)["step_downs"] >= 1, "the deposed one did not step down"
            )
            watch.skip.discard(active.name)
            deposed = lease(active)
            assert (deposed["role"], deposed["held"]) == ("standby", False)
            await settled(pair, sandbox)
    assert_clean(await judged(pair))
    assert await open_records(pair) == {}
    assert len(await read_records(pair.pair_db)) == before + 2
    assert watch.most_holders == 1
    assert watch.both_active == 0
    log = active.log.read_text()
    assert "stepping down to standby" in log
    counters = status(active)
    refused = counters["lease"]["refused_writes"]
    skipped = sum(v for k, v in counters.items() if k.endswith(".standby_skipped"))
    print(f"deposed ingest after resume: {refused} writes refused, {skipped} batches held back")
    assert lease(standby)["role"] == "active"
