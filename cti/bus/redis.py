"""The bus on a Redis Stream, for running the ingest and any number of web processes apart.

Every message is one XADD to `cti:bus` (bounded: MAXLEN ~ `maxlen`), in one MULTI with the
retained state it changes (`cti:state:*`), so a browser that reads the state right after a
message never finds it older than the message. Each process that has subscribers runs one
reader: XREAD from the last id it saw, handing each entry to its local subscribers (an in-memory
fan-out), so a Redis blip costs a delay, never a message. A reader with a name (`CTI_BUS_READER`)
also keeps its last id in Redis, and a restarted process goes on from there.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Sequence
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline
from redis.exceptions import ConnectionError, TimeoutError

from cti.bus.base import BusUnavailableError, Message, Retain
from cti.bus.memory import MemoryBus, MemorySubscription

log = logging.getLogger(__name__)
STREAM = "cti:bus"
STATE_PREFIX = "cti:state:"
READER_PREFIX = "cti:bus:reader:"
DEFAULT_MAXLEN = 10_000
READ_BLOCK_MS = 1000
READ_COUNT = 500
FIRST_RETRY_SECONDS = 0.2
MAX_RETRY_SECONDS = 5.0
SOCKET_SECONDS = 3.0
STATE_TTL_SECONDS = 12 * 3600  # retained maps (pops) of a PBX gone quiet are forgotten
READER_ID_TTL_SECONDS = 7 * 24 * 3600
REDIS_DOWN = (ConnectionError, TimeoutError, OSError)


class RedisBus:
    def __init__(self, url: str, maxlen: int = DEFAULT_MAXLEN, reader_name: str = "") -> None:
        # Bounded waits: a Redis that is away costs a publish a few seconds, never a hang.
        self._redis: Redis = Redis.from_url(
            url, socket_timeout=SOCKET_SECONDS, socket_connect_timeout=SOCKET_SECONDS,
        )  # fmt: skip
        self.maxlen = maxlen
        self.reader_name = reader_name
        self._local = MemoryBus()
        self._reader: asyncio.Task[None] | None = None
        self.last_id: str | None = None
        self.resumed_from: str | None = None
        self.delivered = 0
        self.connected = False

    async def publish(self, topic: str, message: Message, retain: Sequence[Retain] = ()) -> None:
        pipe = self._redis.pipeline(transaction=True)
        _stage(pipe, retain)
        body = json.dumps(message, default=str)
        pipe.xadd(STREAM, {"topic": topic, "message": body}, maxlen=self.maxlen, approximate=True)
        await pipe.execute()

    async def retain(self, changes: Sequence[Retain]) -> None:
        pipe = self._redis.pipeline(transaction=True)
        _stage(pipe, changes)
        try:
            await pipe.execute()
        except REDIS_DOWN as exc:
            raise BusUnavailableError(f"Redis is not reachable: {exc}") from exc

    async def retained(self, key: str) -> Message | None:
        try:
            raw = await self._redis.get(STATE_PREFIX + key)
        except REDIS_DOWN as exc:
            raise BusUnavailableError(f"Redis is not reachable: {exc}") from exc
        return None if raw is None else _loads(raw)

    async def retained_map(self, key: str) -> dict[str, Message]:
        try:
            raw = await self._redis.hgetall(STATE_PREFIX + key)
        except REDIS_DOWN as exc:
            raise BusUnavailableError(f"Redis is not reachable: {exc}") from exc
        return {_text(field): _loads(value) for field, value in raw.items()}

    async def subscribe(self, topics: set[str]) -> MemorySubscription:
        self.start()
        return await self._local.subscribe(topics)

    def start(self) -> None:
        """Start reading the stream (a web process does at start, to catch up at once)."""
        if self._reader is None:
            self._reader = asyncio.create_task(self._read(), name="bus-reader")

    async def ping(self) -> None:
        await self._redis.ping()

    def status(self) -> dict[str, Any]:
        return {
            "kind": "redis-stream",
            "reader": self.reader_name,
            "reading": self._reader is not None,
            "connected": self.connected,
            "last_id": self.last_id,
            "resumed_from": self.resumed_from,
            "delivered": self.delivered,
        }

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            await asyncio.gather(self._reader, return_exceptions=True)
        await self._local.close()
        await self._redis.aclose()

    async def _read(self) -> None:
        delay = FIRST_RETRY_SECONDS
        while True:
            try:
                if self.last_id is None:
                    self.last_id = await self._starting_point()
                await self._read_batch()
                delay = FIRST_RETRY_SECONDS
            except REDIS_DOWN as exc:
                if self.connected:
                    log.warning("bus: Redis lost (%s); reading on from %s", exc, self.last_id)
                self.connected = False
                await asyncio.sleep(delay)
                delay = min(delay * 2, MAX_RETRY_SECONDS)

    async def _starting_point(self) -> str:
        """The id this reader saw last (a restart), else the stream's newest entry."""
        if self.reader_name:
            saved = await self._redis.get(READER_PREFIX + self.reader_name)
            if saved is not None:
                self.resumed_from = _text(saved)
                await self._warn_if_trimmed(self.resumed_from)
                log.info("bus: reader %s goes on from %s", self.reader_name, self.resumed_from)
                return self.resumed_from
        newest = await self._redis.xrevrange(STREAM, count=1)
        return _text(newest[0][0]) if newest else "0-0"

    async def _warn_if_trimmed(self, last_id: str) -> None:
        oldest = await self._redis.xrange(STREAM, count=1)
        if oldest and _id_key(_text(oldest[0][0])) > _id_key(last_id) and last_id != "0-0":
            log.warning(
                "bus: entries after %s were trimmed (MAXLEN %d) before reader %s came back",
                last_id, self.maxlen, self.reader_name,
            )  # fmt: skip

    async def _read_batch(self) -> None:
        assert self.last_id is not None
        answer: Any = await self._redis.xread(
            {STREAM: self.last_id}, count=READ_COUNT, block=READ_BLOCK_MS
        )
        self.connected = True
        for _stream, entries in answer:
            for entry_id, fields in entries:
                self.last_id = _text(entry_id)
                self.delivered += 1
                with contextlib.suppress(KeyError, ValueError):
                    topic = _text(fields[b"topic"])
                    self._local.deliver(topic, _loads(fields[b"message"]))
        if answer and self.reader_name:
            key = READER_PREFIX + self.reader_name
            await self._redis.set(key, self.last_id, ex=READER_ID_TTL_SECONDS)


def _stage(pipe: Pipeline, changes: Sequence[Retain]) -> None:
    for change in changes:
        key = STATE_PREFIX + change.key
        if change.field is None:
            if change.value is None:
                pipe.delete(key)
            else:
                pipe.set(key, json.dumps(change.value, default=str))
        elif change.value is None:
            pipe.hdel(key, change.field)
        else:
            pipe.hset(key, change.field, json.dumps(change.value, default=str))
            pipe.expire(key, STATE_TTL_SECONDS)


def _id_key(entry_id: str) -> tuple[int, int]:
    millis, _, sequence = entry_id.partition("-")
    return int(millis), int(sequence or 0)


def _loads(raw: Any) -> Message:
    value = json.loads(raw)
    return value if isinstance(value, dict) else {"value": value}


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
