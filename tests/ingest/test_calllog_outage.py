"""The database goes away while calls go on: the AMI side never waits, and every call is written
exactly once when the database returns."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from crm_core.db import create_engine
from crm_core.migrate import upgrade
from crm_core.models import Call
from crm_core.services import Services, build_services
from crm_core.settings import CrmSettings
from cti.ami.metrics import Counters
from cti.ingest.calllog import CallLogWriter
from cti.ingest.stage import Stage
from cti.state.records import CallEnded, CallEvent, CallRecord, CallStarted
from tests.fixtures.tcpproxy import TcpProxy

pytestmark = pytest.mark.postgres


@pytest_asyncio.fixture
async def proxied_services(
    postgres_database: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[tuple[Services, TcpProxy]]:
    direct = create_engine(postgres_database)
    await upgrade(direct)
    await direct.dispose()
    url = make_url(postgres_database)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    await proxy.start()
    proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    settings = CrmSettings(
        database_url=proxied, secret_key="k", var_dir=tmp_path_factory.mktemp("var")
    )
    services = build_services(settings, create_engine(proxied, pool_pre_ping=True))
    yield services, proxy
    await services.dispose()
    await proxy.stop()


def _call(linkedid: str, ended: bool) -> CallRecord:
    start = time.time() - 60
    return CallRecord(
        linkedid=linkedid, direction="inbound", caller="+421900123456", caller_name="",
        callee="100", did="100", queue="sales", agents_rang=("1001",),
        answered_by="1001" if ended else None, disposition="answered" if ended else None,
        started_at=start, answered_at=start + 5 if ended else None,
        ended_at=start + 30 if ended else None, wait_seconds=5.0,
        talk_seconds=25.0 if ended else None, transfers=(), recording=None, route_reason=None,
    )  # fmt: skip


async def _stored(services: Services, linkedids: list[str]) -> list[tuple[str, str | None]]:
    async with services.sessions() as session:
        rows = await session.execute(
            select(Call.linkedid, Call.disposition).where(Call.linkedid.in_(linkedids))
        )
        return sorted((row.linkedid, row.disposition) for row in rows)


async def test_calls_made_while_the_database_is_down_are_written_once_it_returns(
    proxied_services: tuple[Services, TcpProxy],
) -> None:
    services, proxy = proxied_services
    metrics = Counters()
    writer = CallLogWriter(services, metrics, retry_max_seconds=0.2)
    stage: Stage[list[CallEvent]] = Stage("calllog", writer.handle, metrics, maxsize=5)
    stage.start()
    linkedids = [f"outage-{uuid.uuid4().hex[:10]}" for _ in range(20)]
    await writer.write(_call("warmup-" + linkedids[0], ended=True))  # a pooled connection exists

    proxy.cut()
    started = time.perf_counter()
    for linkedid in linkedids:
        stage.offer([CallStarted(_call(linkedid, ended=False))])
        stage.offer([CallEnded(_call(linkedid, ended=True))])
    offering_took = time.perf_counter() - started
    await asyncio.sleep(2.0)
    assert await _count_direct(services, proxy, linkedids) == 0
    assert metrics.get("calllog.retries") > 0
    assert metrics.get("calllog.buffer_full") > 0

    proxy.restore()
    await asyncio.wait_for(stage.drain(), 30)
    await stage.stop()
    assert offering_took < 0.05, "offering must never wait for the database"
    assert await _stored(services, linkedids) == [
        (linkedid, "answered") for linkedid in sorted(linkedids)
    ]


async def test_writing_the_same_call_again_never_duplicates_it(
    proxied_services: tuple[Services, TcpProxy],
) -> None:
    services, _ = proxied_services
    writer = CallLogWriter(services, Counters())
    linkedid = f"dup-{uuid.uuid4().hex[:10]}"
    for _ in range(3):
        await writer.write(_call(linkedid, ended=True))
    async with services.sessions() as session:
        count = await session.scalar(
            select(func.count()).select_from(Call).where(Call.linkedid == linkedid)
        )
    assert count == 1


async def _count_direct(services: Services, proxy: TcpProxy, linkedids: list[str]) -> int:
    """Counted through a connection that bypasses the cut proxy."""
    url = make_url(str(services.settings.database_url)).set(port=proxy.target[1])
    engine = create_engine(url.render_as_string(hide_password=False))
    try:
        async with engine.connect() as connection:
            count = await connection.scalar(
                select(func.count()).select_from(Call).where(Call.linkedid.in_(linkedids))
            )
            return int(count or 0)
    finally:
        await engine.dispose()
