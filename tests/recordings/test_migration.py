"""Migration 0014: the recordings table and the keep flag come and go cleanly."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from crm_core.db import create_engine
from crm_core.migrate import alembic_config, upgrade


def _downgrade(connection: Connection) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, "0013")


def _shape(connection: Connection) -> tuple[set[str], set[str]]:
    inspector = inspect(connection)
    return set(inspector.get_table_names()), {c["name"] for c in inspector.get_columns("calls")}


async def test_upgrade_and_downgrade(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'm.db'}")
    await upgrade(engine)
    async with engine.begin() as connection:
        tables, columns = await connection.run_sync(_shape)
        assert "call_recordings" in tables
        assert "keep_recordings" in columns
        await connection.run_sync(_downgrade)
        tables, columns = await connection.run_sync(_shape)
        assert "call_recordings" not in tables
        assert "keep_recordings" not in columns
    await engine.dispose()
