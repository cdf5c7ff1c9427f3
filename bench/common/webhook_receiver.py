"""A real HTTP webhook receiver (uvicorn, in the caller's event loop) for tests and the bench:
it checks each signature, keeps what it got, and can refuse (503) or go away and come back on
the same port."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from dataclasses import dataclass, field
from typing import Any

import uvicorn

from cti.webhooks.signing import verify

Scope = dict[str, Any]


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    at: float

    @property
    def event(self) -> dict[str, Any]:
        document: dict[str, Any] = json.loads(self.body)
        return document


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Receiver:
    secret: str
    port: int = field(default_factory=free_port)
    refuse: bool = False
    received: list[Received] = field(default_factory=list)
    refused: int = 0
    bad_signatures: int = 0
    _server: uvicorn.Server | None = None
    _task: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def event_ids(self) -> list[str]:
        return [item.event["id"] for item in self.received]

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        await self._answer(scope, body, send)

    async def _answer(self, scope: Scope, body: bytes, send: Any) -> None:
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        signed = {"X-CTI-Timestamp": headers.get("x-cti-timestamp", ""),
                  "X-CTI-Signature": headers.get("x-cti-signature", "")}  # fmt: skip
        if not verify(self.secret, signed, body, time.time()):
            self.bad_signatures += 1
            status = 401
        elif self.refuse:
            self.refused += 1
            status = 503
        else:
            self.received.append(Received(headers, body, time.time()))
            status = 200
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def start(self) -> None:
        config = uvicorn.Config(self, host="127.0.0.1", port=self.port, log_level="warning",
                                lifespan="off", access_log=False)  # fmt: skip
        self._server = uvicorn.Server(config)
        self._task = asyncio.create_task(self._server.serve())
        for _ in range(1000):  # up to 10 s
            if self._server.started:
                return
            await asyncio.sleep(0.01)
        raise RuntimeError(f"the receiver did not start on port {self.port}")

    async def stop(self) -> None:
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            await asyncio.wait_for(self._task, 10)
        self._server = self._task = None


class _Printing(Receiver):
    """The receiver as its own process: one line `<event id> <arrival time>` per accepted event."""

    async def _answer(self, scope: Scope, body: bytes, send: Any) -> None:
        before = len(self.received)
        await super()._answer(scope, body, send)
        if len(self.received) > before:
            item = self.received.pop()
            print(item.event["id"], f"{item.at:.6f}", flush=True)


async def _serve_forever(port: int, secret: str) -> None:
    receiver = _Printing(secret, port=port)
    await receiver.start()
    print("READY", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    import sys

    asyncio.run(_serve_forever(int(sys.argv[1]), sys.argv[2]))
