"""The ingest's side: takes the web processes' telephony requests off Redis, carries each out
with its own AMI session and live state, and answers on the request's reply key.

A request names its deadline; one that waited past it (no ingest was running, or this one was
busy) is dropped unanswered, so an agent who already saw a 503 never gets a late call."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ConnectionError, TimeoutError

from crm_core.errors import DomainError, UnavailableError
from crm_core.services.dto import Actor
from cti.actions.port import LocalTelephony
from cti.actions.wire import REPLY_PREFIX, REQUESTS, refusal

log = logging.getLogger(__name__)
POLL_SECONDS = 1
REPLY_TTL_SECONDS = 30
SOCKET_SECONDS = 3.0
RETRY_SECONDS = 1.0


class ActionServer:
    def __init__(
        self, telephony: LocalTelephony, url: str, serving: Callable[[], bool] = lambda: True
    ) -> None:
        self.telephony = telephony
        self._serving = serving  # a standby ingest takes no request (cti.ingest.standby)
        self._redis: Redis = Redis.from_url(
            url, socket_timeout=POLL_SECONDS + SOCKET_SECONDS, socket_connect_timeout=SOCKET_SECONDS
        )
        self._runner: asyncio.Task[None] | None = None
        self._handling: set[asyncio.Task[None]] = set()
        self.answered = 0
        self.expired = 0

    def start(self) -> None:
        self._runner = asyncio.create_task(self._run(), name="action-server")

    async def stop(self) -> None:
        tasks = [*self._handling, *([self._runner] if self._runner else [])]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self._redis.aclose()

    async def _run(self) -> None:
        while True:
            if not self._serving():
                await asyncio.sleep(POLL_SECONDS / 5)
                continue
            try:
                popped = await self._redis.brpop([REQUESTS], timeout=POLL_SECONDS)
            except (ConnectionError, TimeoutError, OSError) as exc:
                log.warning("telephony requests: Redis away (%s)", exc)
                await asyncio.sleep(RETRY_SECONDS)
                continue
            if popped is None:
                continue
            with contextlib.suppress(ValueError, KeyError, TypeError):
                request = json.loads(popped[1])
                if float(request["deadline"]) < time.time():
                    self.expired += 1
                    log.warning("telephony request %s came too late; dropped", request["op"])
                    continue
                task = asyncio.create_task(self._answer(request))
                self._handling.add(task)
                task.add_done_callback(self._handling.discard)

    async def _answer(self, request: dict[str, Any]) -> None:
        try:
            answer: dict[str, Any] = {"result": await self._carry_out(request)}
        except DomainError as exc:
            answer = {"refused": refusal(exc)}
        except Exception as exc:  # an ingest fault is the web's 503, and our log line
            log.exception("telephony request %s failed", request.get("op"))
            answer = {"refused": refusal(UnavailableError(f"the ingest failed: {exc}"))}
        key = REPLY_PREFIX + str(request["id"])
        try:
            await self._redis.lpush(key, json.dumps(answer, default=str))
            await self._redis.expire(key, REPLY_TTL_SECONDS)
            self.answered += 1
        except (ConnectionError, TimeoutError, OSError) as exc:
            log.warning("telephony answer lost (Redis away: %s)", exc)

    async def _carry_out(self, request: dict[str, Any]) -> Any:
        op, args, phone = request["op"], request["args"], self.telephony
        if op == "join":
            return await phone.join(args["extension"], args["queue"], args["name"])
        if op == "leave":
            return await phone.leave(args["extension"], args["queue"])
        if op == "pause":
            return await phone.pause(args["extension"], args["reason"])
        if op == "resume":
            return await phone.resume(args["extension"])
        if op == "dial":
            return vars(await phone.dial(args["extension"], args["number"]))
        if op == "spy":
            actor = Actor.model_validate(args["actor"])
            return await phone.spy(actor, args["supervisor"], args["agent"], args["mode"])
        raise UnavailableError(f"this ingest does not know the request {op!r}")
