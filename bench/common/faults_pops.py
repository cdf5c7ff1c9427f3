"""Do screen-pops still reach agents? A `watcher` user (every agent extension) on /ws/agent.

`PopWatch` opens a socket before a fault and keeps it; after the fault, `ring_after(t)` says
whether a `ring` frame arrived after t on that socket, or, if the server closed it, on a fresh
one (what a page does: it reconnects).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import urllib.request
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

from bench.common.faults_records import WATCHER_LOGIN, WATCHER_PASSWORD


def login(base_url: str) -> str:
    body = json.dumps({"login": WATCHER_LOGIN, "password": WATCHER_PASSWORD}).encode()
    request = urllib.request.Request(
        f"{base_url}/api/auth/login", body, {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        token: str = json.loads(response.read())["access_token"]
        return token


class PopWatch:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.rings: list[float] = []  # when each ring frame arrived
        self.reconnects = 0
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task

    async def ring_after(self, since: float, timeout: float) -> bool:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if any(at > since for at in self.rings):
                return True
            await asyncio.sleep(0.2)
        return False

    async def _run(self) -> None:
        ws_url = self.base_url.replace("http://", "ws://") + "/ws/agent"
        while True:
            try:
                token = await asyncio.to_thread(login, self.base_url)
                async with connect(ws_url) as websocket:
                    await websocket.send(json.dumps({"type": "auth", "token": token}))
                    await self._read(websocket)
            except (OSError, ValueError, Exception):  # a page just reconnects
                pass
            self.reconnects += 1
            await asyncio.sleep(1)

    async def _read(self, websocket: ClientConnection) -> None:
        async for raw in websocket:
            frame: dict[str, Any] = json.loads(raw)
            if frame.get("type") == "ring":
                self.rings.append(time.time())
