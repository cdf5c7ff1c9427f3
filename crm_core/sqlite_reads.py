"""One short indexed read of a SQLite file on the event loop's own thread, without a thread hop.

A lookup by an indexed key costs ~16 µs in the sqlite3 module, less than the worker-thread hop
it replaces (~170 µs on a 2-core machine, and the worker's Python then competes with the event
loop for the GIL: the loop's next wake-up can wait for the worker's switch interval). The
connection never waits for a lock (busy timeout 0): where SQLite would wait (a writer in the
rollback-journal mode, a WAL recovery), the read raises `BusyError` and the caller reads in a thread
instead, where waiting blocks nobody. Every statement is run to its end (`fetchall`), so no read
transaction stays open between calls and each call sees the last commit.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Select
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import URL


class BusyError(Exception):
    """SQLite would have waited for another connection's lock."""


class LoopSqliteRead:
    """`statement` compiled once for SQLite; `rows(**params)` runs it on the calling thread."""

    def __init__(self, url: URL, statement: Select[*tuple[Any, ...]]) -> None:
        compiled = statement.compile(dialect=sqlite_dialect.dialect())
        self._sql = str(compiled)
        self._names = tuple(compiled.positiontup or ())
        self._defaults = dict(compiled.params)
        self._path = Path(url.database or "")
        self._connection: sqlite3.Connection | None = None

    def rows(self, **params: object) -> list[tuple[Any, ...]]:
        values = self._defaults | params
        try:
            cursor = self._connect().execute(self._sql, [values[name] for name in self._names])
            return cursor.fetchall()
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                raise BusyError(str(exc)) from exc
            raise

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None:
            # mode=rw: never create the file; autocommit: no transaction left open
            uri = f"{self._path.resolve().as_uri()}?mode=rw"
            connection = sqlite3.connect(
                uri, uri=True, timeout=0, isolation_level=None, check_same_thread=False
            )
            connection.execute("PRAGMA query_only=1")
            self._connection = connection
        return self._connection
