"""A throwaway database for one bench run: a SQLite file, or a PostgreSQL database dropped after.

CTI_BENCH_PG names the PostgreSQL server (host:port, trust auth as user postgres).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg

PG_HOST, PG_PORT = os.environ.get("CTI_BENCH_PG", "127.0.0.1:5432").split(":")


@asynccontextmanager
async def temp_database(backend: str, workdir: Path, prefix: str = "bench") -> AsyncIterator[str]:
    """The database URL of a new, empty database of `backend` ("sqlite" or "postgresql")."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{workdir / f'{prefix}-{uuid.uuid4().hex[:6]}.db'}"
        return
    name = f"cti_{prefix}_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(host=PG_HOST, port=int(PG_PORT), user="postgres", database="test")
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+asyncpg://postgres@{PG_HOST}:{PG_PORT}/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
