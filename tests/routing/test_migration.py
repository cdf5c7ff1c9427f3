"""Migration 0005: the rules it seeds are the service's defaults; it downgrades cleanly.

(On PostgreSQL the upgrade runs in every session: the `db_engine` fixture migrates to head.)
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from crm_core.db import create_engine
from crm_core.migrate import alembic_config, upgrade
from crm_core.services import build_services
from crm_core.services.routing_store import DEFAULT_RULES
from crm_core.settings import CrmSettings


def _downgrade(connection: Connection) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, "0004")


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def test_seeds_the_defaults_and_downgrades(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'm.db'}"
    engine = create_engine(url)
    await upgrade(engine)
    services = build_services(CrmSettings(database_url=url, var_dir=tmp_path), engine=engine)
    rule_set = await services.routing.rule_set()
    assert (rule_set.version, [out.rule for out in rule_set.rules]) == (1, list(DEFAULT_RULES))
    assert not await services.routing.ensure_defaults()  # already written: left alone
    async with engine.begin() as connection:
        await connection.run_sync(_downgrade)
        assert not {"routing_rules", "routing_state"} & await connection.run_sync(_tables)
    await services.dispose()
