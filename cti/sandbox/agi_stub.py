"""A stub FastAGI server answering the dialplan's routing hook (agi://127.0.0.1:4573/route).

Used when recording scenarios and in tests; the real routing server is the bridge's. It reads the
AGI environment, sets the given variables (CTI_ROUTE_TARGET, CTI_ROUTE_RING, CTI_ROUTE_REASON),
optionally after a delay, and closes the session.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field


@dataclass
class RouteAnswer:
    variables: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class StubAgiServer:
    """`answer` is what every routing request gets; `requests` records each AGI environment."""

    def __init__(self, host: str = "127.0.0.1", port: int = 4573) -> None:
        self.host, self.port = host, port
        self.answer = RouteAnswer({"CTI_ROUTE_REASON": "no-owner"})
        self.requests: list[dict[str, str]] = []
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._session, self.host, self.port)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
            self.requests.append(await _read_environment(reader))
            await asyncio.sleep(self.answer.delay)
            for name, value in self.answer.variables.items():
                writer.write(f'SET VARIABLE {name} "{value}"\n'.encode())
                await writer.drain()
                await reader.readline()  # 200 result=1
        writer.close()


async def _read_environment(reader: asyncio.StreamReader) -> dict[str, str]:
    environment: dict[str, str] = {}
    while line := (await reader.readline()).decode(errors="replace").strip():
        key, _, value = line.partition(":")
        environment[key.strip()] = value.strip()
    return environment
