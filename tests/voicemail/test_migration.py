"""Migration 0016: the voicemails table comes and goes cleanly."""

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
    command.downgrade(config, "0015")


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


def _unique(connection: Connection) -> list[list[str]]:
    return [u["column_names"] for u in inspect(connection).get_unique_constraints("voicemails")]


async def test_upgrade_and_downgrade(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'm.db'}")
    await upgrade(engine)
    async with engine.begin() as connection:
        assert "voicemails" in await connection.run_sync(_tables)
        assert ["msg_key"] in await connection.run_sync(_unique)  # one row per message
        await connection.run_sync(_downgrade)
        assert "voicemails" not in await connection.run_sync(_tables)
    await engine.dispose()
