"""Routing's caller lookup reads SQLite on the event loop's own thread; when the file is locked the
read moves to a worker thread, where waiting for the lock blocks nobody."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path

import pytest
from sqlalchemy import bindparam, column, select, table
from sqlalchemy.engine import make_url

from crm_core.db import create_engine
from crm_core.migrate import upgrade
from crm_core.services import build_services
from crm_core.services.dto import Actor, CompanyCreate, ContactCreate, PhoneIn
from crm_core.services.routing_caller import CallerLookup, CallerProfile
from crm_core.settings import CrmSettings
from crm_core.sqlite_reads import BusyError, LoopSqliteRead

ITEMS = table("items", column("id"), column("name"))
NAME_OF = select(ITEMS.c.name).where(ITEMS.c.id == bindparam("id")).limit(1)


def _database(path: Path) -> sqlite3.Connection:
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)")
    writer.execute("INSERT INTO items VALUES (1, 'one')")
    return writer


def _locked(path: Path) -> sqlite3.Connection:
    """Another connection holding the file exclusively (in WAL mode: locking_mode=EXCLUSIVE)."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    return holder


def test_each_read_sees_the_last_commit(tmp_path: Path) -> None:
    writer = _database(tmp_path / "crm.db")
    read = LoopSqliteRead(make_url(f"sqlite:///{tmp_path / 'crm.db'}"), NAME_OF)
    assert read.rows(id=1) == [("one",)]
    writer.execute("UPDATE items SET name = 'uno' WHERE id = 1")
    assert read.rows(id=1) == [("uno",)]
    assert read.rows(id=2) == []
    read.close()
    writer.close()


def test_a_missing_file_is_not_created(tmp_path: Path) -> None:
    read = LoopSqliteRead(make_url(f"sqlite:///{tmp_path / 'none.db'}"), NAME_OF)
    with pytest.raises(sqlite3.OperationalError):
        read.rows(id=1)
    assert not (tmp_path / "none.db").exists()


def test_a_locked_file_raises_busy_without_waiting(tmp_path: Path) -> None:
    _database(tmp_path / "crm.db").close()
    holder = _locked(tmp_path / "crm.db")
    read = LoopSqliteRead(make_url(f"sqlite:///{tmp_path / 'crm.db'}"), NAME_OF)
    started = time.perf_counter()
    with pytest.raises(BusyError):
        read.rows(id=1)
    assert time.perf_counter() - started < 0.1
    holder.close()
    assert read.rows(id=1) == [("one",)]
    read.close()


async def _crm_with_a_client(tmp_path: Path) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'crm.db'}"
    engine = create_engine(url)
    await upgrade(engine)
    services = build_services(CrmSettings(database_url=url, secret_key="s", var_dir=tmp_path))
    company = await services.companies.create(
        Actor.system(), CompanyCreate(name="Acme", tags=["VIP", "north"])
    )
    contact = ContactCreate(last_name="Client", company_id=company.id, status="client",
                            phones=[PhoneIn(number="+421900123456")])  # fmt: skip
    await services.contacts.create(Actor.system(), contact)
    await services.dispose()
    await engine.dispose()
    return url


async def test_a_locked_crm_is_read_in_a_thread_while_the_loop_runs(tmp_path: Path) -> None:
    url = await _crm_with_a_client(tmp_path)
    expected = CallerProfile(True, None, "client", ("VIP", "north"))
    engine = create_engine(url)
    lookup = CallerLookup(engine, "SK")
    holder = _locked(tmp_path / "crm.db")
    started = time.perf_counter()
    answer = asyncio.create_task(lookup.profile("+421900123456"))
    ticks = 0
    while time.perf_counter() - started < 0.3:
        await asyncio.sleep(0.01)
        ticks += 1
    assert not answer.done()  # waiting for the lock, in the worker thread
    holder.close()
    assert await asyncio.wait_for(answer, 5) == expected
    assert ticks >= 10
    assert await lookup.profile("0900 123 456") == expected  # on the loop again
    lookup.close()
    await engine.dispose()
