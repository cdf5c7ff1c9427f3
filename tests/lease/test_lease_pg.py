"""The ingest lease and its fence on a real PostgreSQL (cti/ingest/lease.py,
crm_core/services/fencing.py), in one process: two leases on one name are never held at once,
each acquisition raises the epoch, a holder whose session ends loses the lease to the other,
and a write under an older token is refused (counted) while the new holder's record stays."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]
import pytest
import pytest_asyncio
from sqlalchemy import select

from crm_core.db import create_engine
from crm_core.migrate import upgrade
from crm_core.models import Call, OpenCallState
from crm_core.services import Services, build_services
from crm_core.services.dto import Actor
from crm_core.services.dto import CallRecord as CallRecordIn
from crm_core.services.fencing import Fence, FencedOutError
from crm_core.settings import CrmSettings
from cti.ingest.lease import RAISE_EPOCH, PgLease, asyncpg_dsn
from tests.fixtures.db import fresh_postgres_database

SYSTEM = Actor.system("cti")


@pytest_asyncio.fixture
async def database(postgres_server: tuple[str, int, str]) -> AsyncIterator[str]:
    async with fresh_postgres_database(postgres_server, "cti_lease") as url:
        engine = create_engine(url)
        await upgrade(engine)
        await engine.dispose()
        yield url


def fenced_services(url: str, fence: Fence, folder: Path) -> Services:
    settings = CrmSettings(database_url=url, secret_key="lease-test-secret", var_dir=folder)
    return build_services(settings, fence=fence)


def record(linkedid: str, caller: str, ended: bool = False) -> CallRecordIn:
    now = datetime.now(UTC)
    return CallRecordIn(
        linkedid=linkedid, direction="inbound", caller=caller, callee="100", queue="sales",
        started_at=now, ended_at=now if ended else None,
    )  # fmt: skip


async def until(condition: object, timeout: float = 5.0) -> float:
    """Seconds until `condition()` held."""
    began = time.monotonic()
    while not condition():  # type: ignore[operator]
        assert time.monotonic() - began < timeout, "the condition did not come"
        await asyncio.sleep(0.02)
    return time.monotonic() - began


async def test_one_holder_at_a_time_each_acquisition_raising_the_epoch(database: str) -> None:
    first = PgLease(database, Fence("pbx-a"), holder="first")
    second = PgLease(database, Fence("pbx-a"), holder="second")
    other = PgLease(database, Fence("pbx-b"), holder="other pbx")
    seen: list[tuple[bool, bool]] = []

    async def watch() -> None:
        while True:
            seen.append((first.held, second.held))
            await asyncio.sleep(0.005)

    watcher = asyncio.create_task(watch())
    try:
        first.start()
        await until(lambda: first.held)
        assert first.fence.token == 1
        second.start()
        other.start()
        await until(lambda: other.held)  # another lease name is another lock
        await asyncio.sleep(1.0)
        assert not second.held
        assert second.fence.token is None
        await first.stop()  # its connection closes: the lock is free at once
        await until(lambda: second.held)
        assert second.fence.token == 2
        assert first.fence.token is None
    finally:
        watcher.cancel()
        for lease in (first, second, other):
            await lease.stop()
    assert (True, True) not in seen
    assert (True, False) in seen
    assert (False, True) in seen


async def test_a_holder_whose_session_ends_loses_the_lease_to_the_standby(database: str) -> None:
    active = PgLease(database, Fence("pbx"), holder="active", timeout=1.5)
    standby = PgLease(database, Fence("pbx"), holder="standby", timeout=1.5)
    lost: list[str] = []
    active.on_lost = lost.append
    try:
        active.start()
        await until(lambda: active.held)
        standby.start()
        connection = await asyncpg.connect(asyncpg_dsn(database))
        try:  # what PostgreSQL does to a paused or cut-off holder after idle_session_timeout
            ended = await connection.fetchval(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE application_name = 'cti-ingest-lease active'"
            )
        finally:
            await connection.close()
        assert ended == 1
        await until(lambda: standby.held)
        assert standby.fence.token == 2
        await until(lambda: bool(lost))
        assert not active.held
        assert active.fence.token is None
        await asyncio.sleep(0.6)  # the deposed one keeps trying, as a standby
        assert not active.held
    finally:
        await active.stop()
        await standby.stop()


async def test_a_write_under_an_older_token_is_refused_and_counted(
    database: str, tmp_path: Path
) -> None:
    old, new = PgLease(database, Fence("pbx"), holder="old"), None
    old_services = fenced_services(database, old.fence, tmp_path / "old")
    try:
        old.start()
        await until(lambda: old.held)
        await old_services.calls.register(SYSTEM, record("1.1", "+421900000001"))
        token = old.fence.token
        new = PgLease(database, Fence("pbx"), holder="new")
        new_services = fenced_services(database, new.fence, tmp_path / "new")
        await old.stop()
        new.start()
        await until(lambda: new.held)
        await new_services.calls.register(SYSTEM, record("1.1", "+421900000002", ended=True))
        # the deposed one comes back still believing in its token (a paused VM resumed)
        old.fence.token = token
        with pytest.raises(FencedOutError, match="not the current epoch 2"):
            await old_services.calls.register(SYSTEM, record("1.1", "+421900000003"))
        with pytest.raises(FencedOutError):
            await old_services.call_states.save([{"linkedid": "1.2"}], [], 1.0)
        assert old.fence.refused == 2
        stored = await new_services.call_states.ended_among(["1.1"])
        assert stored == {"1.1"}
        async with new_services.sessions() as session:
            calls = (await session.scalars(select(Call))).all()
            states = (await session.scalars(select(OpenCallState))).all()
        assert [(c.linkedid, c.caller) for c in calls] == [("1.1", "+421900000002")]
        assert states == []
        await new_services.dispose()
    finally:
        await old.stop()
        if new is not None:
            await new.stop()
        await old_services.dispose()


async def test_a_write_under_way_commits_before_the_epoch_moves(
    database: str, tmp_path: Path
) -> None:
    """The epoch raise of a new holder waits for the old holder's transaction that already
    passed the check (its FOR SHARE), so no write lands after a takeover began."""
    lease = PgLease(database, Fence("pbx"), holder="old")
    services = fenced_services(database, lease.fence, tmp_path)
    connection = await asyncpg.connect(asyncpg_dsn(database))
    try:
        lease.start()
        await until(lambda: lease.held)
        async with services.sessions.begin() as session:
            await lease.fence.check(session)
            raising = asyncio.create_task(connection.fetchval(RAISE_EPOCH, "pbx", "new"))
            await asyncio.sleep(0.5)
            assert not raising.done()
        assert await asyncio.wait_for(raising, 5) == 2
        with pytest.raises(FencedOutError):
            await services.calls.register(SYSTEM, record("2.1", "+421900000009"))
    finally:
        await connection.close()
        await lease.stop()
        await services.dispose()
