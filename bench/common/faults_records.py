"""The databases of the fault harness: one per bridge (a SQLite file or a PostgreSQL database),
migrated and given a `watcher` user (every agent extension, for the pop check), and the call
records read back from it, reduced to the fields the harness compares."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy import select

from crm_core.db import create_engine
from crm_core.migrate import upgrade
from crm_core.models import Call
from crm_core.models.enums import Role
from crm_core.services import build_services
from crm_core.services.dto import Actor, UserCreate
from crm_core.settings import CrmSettings

PG_HOST, PG_PORT = "127.0.0.1", 5432
WATCHER_LOGIN = "watcher"
WATCHER_PASSWORD = "faults-watcher-1"
AGENT_EXTENSIONS = [str(ext) for ext in range(1001, 1011)]
COMPARED_FIELDS = (
    "direction",
    "caller",
    "callee",
    "queue",
    "agents_rang",
    "answered_by",
    "disposition",
    "transfers",
)


@dataclass
class DatabaseTarget:
    """`url` is the database itself (the harness reads it); `served_url` what the bridge is told
    (the same, or through a proxy)."""

    backend: str
    url: str
    served_url: str
    sqlite_path: Path | None = None
    pg_name: str | None = None


@dataclass(frozen=True)
class Record:
    linkedid: str
    direction: str
    caller: str
    callee: str
    queue: str
    agents_rang: tuple[str, ...]
    answered_by: str
    disposition: str | None
    transfers: tuple[tuple[str, str, str], ...]
    started_at: float
    ended_at: float | None

    def field(self, name: str) -> Any:
        return getattr(self, name)

    @property
    def open(self) -> bool:
        return self.ended_at is None or self.disposition is None

    @property
    def parties(self) -> frozenset[str]:
        return frozenset({self.caller, self.callee})


async def create_database(backend: str, workdir: Path, name: str) -> DatabaseTarget:
    if backend == "sqlite":
        path = workdir / f"{name}.db"
        url = f"sqlite+aiosqlite:///{path}"
        target = DatabaseTarget(backend, url, url, sqlite_path=path)
    else:
        pg_name = f"cti_faults_{uuid.uuid4().hex[:10]}"
        await _pg_admin(f'CREATE DATABASE "{pg_name}"')
        url = f"postgresql+asyncpg://postgres@{PG_HOST}:{PG_PORT}/{pg_name}"
        target = DatabaseTarget(backend, url, url, pg_name=pg_name)
    await _prepare(target, workdir)
    return target


async def drop_database(target: DatabaseTarget) -> None:
    if target.pg_name is not None:
        await _pg_admin(f'DROP DATABASE IF EXISTS "{target.pg_name}" WITH (FORCE)')


async def _pg_admin(sql: str) -> None:
    connection = await asyncpg.connect(
        host=PG_HOST, port=PG_PORT, user="postgres", database="postgres"
    )
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


async def _prepare(target: DatabaseTarget, workdir: Path) -> None:
    engine = create_engine(target.url)
    await upgrade(engine)
    await engine.dispose()
    settings = CrmSettings(database_url=target.url, secret_key="faults", var_dir=workdir / "var")
    services = build_services(settings)
    try:
        watcher = UserCreate(
            login=WATCHER_LOGIN,
            password=WATCHER_PASSWORD,
            role=Role.AGENT,
            extensions=AGENT_EXTENSIONS,
        )
        await services.users.create(Actor.system(), watcher)
    finally:
        await services.dispose()


async def read_records(target: DatabaseTarget) -> dict[str, Record]:
    engine = create_engine(target.url)
    try:
        async with engine.connect() as connection:
            rows = (await connection.execute(select(Call))).all()
    finally:
        await engine.dispose()
    return {row.linkedid: _record(row) for row in rows}


def _record(row: Any) -> Record:
    transfers = tuple(
        (str(t.get("kind", "")), str(t.get("from", "")), str(t.get("to", "")))
        for t in (row.transfers or [])
    )
    return Record(
        linkedid=row.linkedid,
        direction=row.direction,
        caller=row.caller,
        callee=row.callee,
        queue=row.queue,
        agents_rang=tuple(sorted(row.agents_rang or [])),
        answered_by=row.answered_by,
        disposition=row.disposition,
        transfers=transfers,
        started_at=_epoch(row.started_at),
        ended_at=None if row.ended_at is None else _epoch(row.ended_at),
    )


def _epoch(value: datetime) -> float:
    return value.timestamp()
