"""Telephony REST for the logged-in agent: queue membership and pause (what Asterisk reports,
never what was last requested). Changes answer 202: the state follows when Asterisk confirms."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, status
from pydantic import BaseModel, Field

from crm_core.api.deps import ActorDep, ServicesDep
from crm_core.api.responses import errors
from crm_core.errors import ConflictError
from crm_core.services.dto import UserOut
from cti.actions.port import Telephony
from cti.agents.state_view import AgentState

QueueName = Annotated[str, Path(pattern=r"^[A-Za-z0-9_.-]{1,64}$")]


class DialRequest(BaseModel):
    number: str = Field(min_length=1, max_length=64, description="any spelling of the number")


class DialResponse(BaseModel):
    extension: str
    number: str
    display_name: str


class PauseRequest(BaseModel):
    reason: str = Field(min_length=1, max_length=64)


async def _me(actor: ActorDep, services: ServicesDep) -> UserOut:
    if actor.id is None:
        raise ConflictError("the system actor has no extension", code="no_extension")
    user = await services.users.get(actor.id)
    if not user.extensions:
        raise ConflictError(f"user {user.login} has no phone extension", code="no_extension")
    return user


MeDep = Annotated[UserOut, Depends(_me)]


def telephony_router(telephony: Telephony) -> APIRouter:
    router = APIRouter(
        prefix="/api/agents/me", tags=["telephony"], responses=errors(400, 401, 409, 503)
    )

    async def state(user: UserOut) -> AgentState:
        return await telephony.state(user.extensions[0])

    @router.get("/state")
    async def my_state(me: MeDep) -> AgentState:
        """The agent's queues and pause as Asterisk last reported them."""
        return await state(me)

    @router.post("/queues/{queue}", status_code=status.HTTP_202_ACCEPTED)
    async def join_queue(me: MeDep, queue: QueueName) -> AgentState:
        await telephony.join(me.extensions[0], queue, me.display_name or me.login)
        return await state(me)

    @router.delete("/queues/{queue}", status_code=status.HTTP_202_ACCEPTED)
    async def leave_queue(me: MeDep, queue: QueueName) -> AgentState:
        await telephony.leave(me.extensions[0], queue)
        return await state(me)

    @router.post("/pause", status_code=status.HTTP_202_ACCEPTED)
    async def pause(me: MeDep, body: PauseRequest) -> AgentState:
        await telephony.pause(me.extensions[0], body.reason)
        return await state(me)

    @router.delete("/pause", status_code=status.HTTP_202_ACCEPTED)
    async def resume(me: MeDep) -> AgentState:
        await telephony.resume(me.extensions[0])
        return await state(me)

    @router.post("/calls", status_code=status.HTTP_202_ACCEPTED, tags=["click-to-call"])
    async def click_to_call(me: MeDep, body: DialRequest) -> DialResponse:
        """Ring the agent's phone first, then the client; the call lands on the card as outbound.

        422: the number is not dialable; 409: no extension, the phone is offline, or the agent is
        already on a call; 503: Asterisk (or, from a web replica, the ingest) is not reachable."""
        placed = await telephony.dial(me.extensions[0], body.number)
        return DialResponse(**vars(placed))

    return router
