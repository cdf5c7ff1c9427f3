"""A minimal asyncio FastAGI server: read the agi_* environment, run a handler, set variables.

Why not panoramisk's FastAGI: its `Application.add_route` breaks on Python 3.11 with plain (sync)
handlers, it has no per-request deadline (a slow lookup holds the caller until the dialplan's
own timeout), and it does not bound the environment it reads. What the routing hook needs is
small: read `key: value` lines until a blank one, send `SET VARIABLE` commands, read each
`200 result=...` reply, close. This module does exactly that, with a hard deadline per session.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from cti.ami.metrics import Counters

log = logging.getLogger(__name__)

MAX_LINE = 4096
MAX_LINES = 128


class AgiProtocolError(Exception):
    """The peer did not speak AGI (garbage, oversized or truncated environment)."""


@dataclass(frozen=True, slots=True)
class AgiRequest:
    environment: Mapping[str, str]

    @property
    def script(self) -> str:
        """`route` for agi://host:port/route (arguments after `?` are not part of it)."""
        return self.environment.get("agi_network_script", "").partition("?")[0].strip("/")

    def arg(self, index: int) -> str:
        return self.environment.get(f"agi_arg_{index}", "")

    def get(self, key: str) -> str:
        return self.environment.get(key, "")


Handler = Callable[[AgiRequest], Awaitable[Mapping[str, str]]]


async def read_environment(reader: asyncio.StreamReader) -> dict[str, str]:
    environment: dict[str, str] = {}
    for _ in range(MAX_LINES):
        line = await _read_line(reader)
        if not line:
            if not environment:
                raise AgiProtocolError("empty AGI environment")
            return environment
        key, colon, value = line.partition(":")
        if not colon or not key.startswith("agi_"):
            raise AgiProtocolError(f"not an AGI environment line: {line[:60]!r}")
        environment[key.strip()] = value.strip()
    raise AgiProtocolError(f"AGI environment longer than {MAX_LINES} lines")


async def _read_line(reader: asyncio.StreamReader) -> str:
    try:
        raw = await reader.readuntil(b"\n")
    except asyncio.LimitOverrunError as exc:
        raise AgiProtocolError("AGI line too long") from exc
    except asyncio.IncompleteReadError as exc:
        raise AgiProtocolError("connection closed mid-request") from exc
    return raw.decode("utf-8", errors="replace").strip()


def quote(value: str) -> str:
    """An AGI argument in double quotes: no line breaks, quotes and backslashes escaped."""
    flat = " ".join(value.splitlines())
    return '"' + flat.replace("\\", "\\\\").replace('"', '\\"') + '"'


async def set_variable(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, name: str, value: str
) -> str:
    """Send SET VARIABLE and return Asterisk's reply line (`200 result=1` when it worked)."""
    writer.write(f"SET VARIABLE {name} {quote(value)}\n".encode())
    await writer.drain()
    return await read_reply(reader)


async def read_reply(reader: asyncio.StreamReader) -> str:
    """One reply; skips HANGUP notices and the body of a multi-line `520-` usage reply."""
    while True:
        line = await _read_line(reader)
        if line == "HANGUP" or line.startswith("520-"):
            continue
        if line[:3].isdigit():
            return line


class FastAgiServer:
    """Serves `handlers` by script name; every session is cut after `deadline` seconds."""

    def __init__(
        self, host: str, port: int, handlers: Mapping[str, Handler], *,
        deadline: float = 1.5, counters: Counters | None = None,
    ) -> None:  # fmt: skip
        self.host, self.port = host, port
        self.handlers = dict(handlers)
        self.deadline = deadline
        self.counters = counters or Counters()
        self._server: asyncio.Server | None = None

    @property
    def bound_port(self) -> int:
        assert self._server is not None, "not started"
        return int(self._server.sockets[0].getsockname()[1])

    async def start(self) -> None:
        self._server = await asyncio.start_server(
            self._session, self.host, self.port, limit=MAX_LINE, reuse_address=True
        )

    async def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()
            await server.wait_closed()

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.counters.inc("agi.sessions")
        started = time.perf_counter()
        try:
            async with asyncio.timeout(self.deadline):
                await self._serve(reader, writer)
            self.counters.observe("agi.answer_seconds", time.perf_counter() - started)
        except TimeoutError:
            self.counters.inc("agi.timeouts")
            log.warning("AGI session cut after %.1f s", self.deadline)
        except (AgiProtocolError, ConnectionError) as exc:
            self.counters.inc("agi.protocol_errors")
            log.info("AGI session dropped: %s", exc)
        except Exception:
            self.counters.inc("agi.errors")
            log.exception("AGI handler failed")
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request = AgiRequest(await read_environment(reader))
        handler = self.handlers.get(request.script)
        if handler is None:
            self.counters.inc("agi.unknown_script")
            log.warning("AGI script %r has no handler", request.script)
            return
        for name, value in (await handler(request)).items():
            reply = await set_variable(reader, writer, name, value)
            if not reply.startswith("200"):
                log.warning("AGI SET VARIABLE %s refused: %s", name, reply)
        self.counters.inc("agi.answered")
