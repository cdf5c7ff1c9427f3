"""Several processes starting at once (an ingest and web replicas) migrate one PostgreSQL
database together: one migrates, the others wait and find it done; nobody fails."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg

from crm_core.db import create_engine
from crm_core.migrate import current_revision, upgrade


async def test_four_upgrades_at_once_all_succeed(postgres_server: tuple[str, int, str]) -> None:
    host, port, admin_db = postgres_server
    name = f"cti_migrate_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(host=host, port=port, user="postgres", database=admin_db)
    await admin.execute(f'CREATE DATABASE "{name}"')
    engines = [
        create_engine(f"postgresql+asyncpg://postgres@{host}:{port}/{name}") for _ in range(4)
    ]
    try:
        async with asyncio.timeout(120):  # without the lock they deadlock on the catalogue
            await asyncio.gather(*(upgrade(engine) for engine in engines))
        revisions = {await current_revision(engine) for engine in engines}
        assert len(revisions) == 1
        assert None not in revisions
    finally:
        for engine in engines:
            await engine.dispose()
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
