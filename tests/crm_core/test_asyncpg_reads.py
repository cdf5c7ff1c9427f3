"""A read through asyncpg's own fetch on the engine's pool (PostgreSQL): the rows, and a read that
fails, is cut, or finds its connection gone leaves no broken connection in the pool."""

from __future__ import annotations

import asyncio
import logging

import asyncpg
import pytest
from sqlalchemy import bindparam, func, literal, select

from crm_core.asyncpg_reads import AsyncpgRead
from crm_core.db import create_engine

PAIR = select(literal(1).label("one"), func.upper(bindparam("word", type_=None)).label("loud"))
SLEEP = select(func.pg_sleep(bindparam("seconds")))
BACKEND_PID = select(func.pg_backend_pid())
# what asyncpg raises on a connection the server closed, depending on when it notices
LOST = (asyncpg.PostgresError, asyncpg.InterfaceError, asyncpg.exceptions.InternalClientError,
        ConnectionError)  # fmt: skip


async def test_rows_and_a_cut_read(postgres_database: str) -> None:
    engine = create_engine(postgres_database, pool_size=1, max_overflow=0)
    try:
        pair = AsyncpgRead(engine, PAIR)
        assert await pair.rows(word="hello") == [(1, "HELLO")]
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(AsyncpgRead(engine, SLEEP).rows(seconds=5), 0.2)
        assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]
        # the pool's one connection was invalidated, not reused mid-query: the next read works
        assert await pair.rows(word="again") == [(1, "AGAIN")]
        with pytest.raises(Exception, match="division by zero"):
            await AsyncpgRead(engine, select(literal(1) / bindparam("zero"))).rows(zero=0)
        assert await pair.rows(word="still") == [(1, "STILL")]
    finally:
        await engine.dispose()


async def test_a_connection_the_server_dropped_is_not_given_out_again(
    postgres_database: str,
) -> None:
    engine = create_engine(postgres_database, pool_size=1, max_overflow=0)
    admin = await asyncpg.connect(postgres_database.replace("+asyncpg", ""))
    try:
        ((pid,),) = await AsyncpgRead(engine, BACKEND_PID).rows()
        await admin.execute("SELECT pg_terminate_backend($1)", pid)
        with pytest.raises(LOST):
            await AsyncpgRead(engine, PAIR).rows(word="lost")
        assert await AsyncpgRead(engine, PAIR).rows(word="back") == [(1, "BACK")]
    finally:
        await admin.close()
        await engine.dispose()


async def test_connections_past_the_pool_size_are_closed_cleanly(
    postgres_database: str, caplog: pytest.LogCaptureFixture
) -> None:
    engine = create_engine(postgres_database, pool_size=1, max_overflow=2)
    try:
        sleep = AsyncpgRead(engine, SLEEP)
        await asyncio.gather(*(sleep.rows(seconds=0.2) for _ in range(3)))
        assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]
        assert engine.pool.overflow() == 0  # type: ignore[attr-defined]  # only the pooled one left
    finally:
        await engine.dispose()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
