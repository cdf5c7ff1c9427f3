"""A web process's telephony: each action is a request over Redis to the active ingest, answered
within `timeout` or refused with a 503; the agent's state is what the ingest retained."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ConnectionError, TimeoutError

from crm_core.errors import UnavailableError
from crm_core.services.dto import Actor
from cti.actions.wire import REPLY_PREFIX, REQUESTS, raise_refusal
from cti.agents.click_to_call import Originated
from cti.agents.spy import SpyMode
from cti.agents.state_view import AgentState
from cti.bus.base import SUPERVISOR_SNAPSHOT, Bus, BusUnavailableError, agent_state_key
from cti.routing.settings import TelephonySettings

SOCKET_SECONDS = 3.0
QUEUE_TTL_SECONDS = 60  # requests nobody takes (no ingest at all) do not pile up


class RemoteTelephony:
    def __init__(self, url: str, bus: Bus, settings: TelephonySettings, timeout: float) -> None:
        self._redis: Redis = Redis.from_url(
            url, socket_timeout=timeout + SOCKET_SECONDS, socket_connect_timeout=SOCKET_SECONDS
        )
        self.bus, self.settings, self.timeout = bus, settings, timeout

    async def state(self, extension: str) -> AgentState:
        try:
            retained = await self.bus.retained(agent_state_key(extension))
            snapshot = await self.bus.retained(SUPERVISOR_SNAPSHOT) or {}
        except BusUnavailableError as exc:
            raise UnavailableError(str(exc)) from exc
        if retained is not None:
            return AgentState.model_validate({k: v for k, v in retained.items() if k != "type"})
        queues = sorted(str(q.get("name")) for q in snapshot.get("queues", []))
        return AgentState(  # the ingest never saw this agent in a queue or on a call
            extension=extension, interface=self.settings.interface(extension), queues=[],
            on_call=False, pause_reasons=list(self.settings.pause_reasons),
            available_queues=queues,
        )  # fmt: skip

    async def join(self, extension: str, queue: str, name: str) -> None:
        await self._ask("join", extension=extension, queue=queue, name=name)

    async def leave(self, extension: str, queue: str) -> None:
        await self._ask("leave", extension=extension, queue=queue)

    async def pause(self, extension: str, reason: str) -> None:
        await self._ask("pause", extension=extension, reason=reason)

    async def resume(self, extension: str) -> None:
        await self._ask("resume", extension=extension)

    async def dial(self, extension: str, number: str) -> Originated:
        placed = await self._ask("dial", extension=extension, number=number)
        return Originated(**placed)

    async def spy(self, actor: Actor, supervisor_ext: str, agent_ext: str, mode: SpyMode) -> str:
        actor_json = actor.model_dump(mode="json")
        found = await self._ask(
            "spy", actor=actor_json, supervisor=supervisor_ext, agent=agent_ext, mode=mode
        )
        return str(found)

    async def _ask(self, op: str, **args: Any) -> Any:
        request_id = uuid.uuid4().hex
        body = {"id": request_id, "op": op, "args": args, "deadline": time.time() + self.timeout}
        try:
            await self._redis.lpush(REQUESTS, json.dumps(body))
            await self._redis.expire(REQUESTS, QUEUE_TTL_SECONDS)
            reply = await self._redis.blpop([REPLY_PREFIX + request_id], timeout=self.timeout)
        except (ConnectionError, TimeoutError, OSError) as exc:
            raise UnavailableError(f"the bus (Redis) is not reachable: {exc}") from exc
        if reply is None:
            raise UnavailableError(
                f"no ingest answered within {self.timeout:g} s: is `cti serve --role ingest` "
                "running and connected?"
            )
        answer = json.loads(reply[1])
        if "refused" in answer:
            raise_refusal(answer["refused"])
        return answer.get("result")

    async def close(self) -> None:
        await self._redis.aclose()
