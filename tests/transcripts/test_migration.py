"""Migration 0015 on both databases: the tables and the full-text index (SQLite FTS5 table,
PostgreSQL tsvector column) come and go with upgrade and downgrade."""

from __future__ import annotations

import uuid
from pathlib import Path

from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from crm_core.db import create_engine
from crm_core.migrate import alembic_config, upgrade
from tests.fixtures.db import _admin

TABLES = {"transcript_jobs", "transcript_lines", "call_summaries", "transcript_keyword_rules",
          "transcript_flags"}  # fmt: skip


def _downgrade(connection: Connection) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, "0014")


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


def _columns(connection: Connection) -> set[str]:
    return {column["name"] for column in inspect(connection).get_columns("transcript_lines")}


async def _round_trip(url: str) -> None:
    engine = create_engine(url)
    try:
        await upgrade(engine)
        async with engine.begin() as connection:
            assert await connection.run_sync(_tables) >= TABLES
            if connection.dialect.name == "sqlite":
                assert "transcript_lines_fts" in await connection.run_sync(_tables)
            else:
                assert "search" in await connection.run_sync(_columns)
            await connection.run_sync(_downgrade)
            left = await connection.run_sync(_tables)
            assert not (TABLES | {"transcript_lines_fts"}) & left
            assert "calls" in left
            await connection.execute(text("SELECT 1"))
    finally:
        await engine.dispose()


async def test_sqlite_upgrades_and_downgrades(tmp_path: Path) -> None:
    await _round_trip(f"sqlite+aiosqlite:///{tmp_path / 'm.db'}")


async def test_postgresql_upgrades_and_downgrades(
    postgres_server: tuple[str, int, str],
) -> None:
    host, port, _ = postgres_server
    name = f"cti_migration_{uuid.uuid4().hex[:10]}"
    await _admin(postgres_server, f'CREATE DATABASE "{name}"')
    try:
        await _round_trip(f"postgresql+asyncpg://postgres@{host}:{port}/{name}")
    finally:
        await _admin(postgres_server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
