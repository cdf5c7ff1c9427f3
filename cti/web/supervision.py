"""Supervisors steer calls: listen to, whisper to (coach) or barge into an agent's call."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, status
from pydantic import BaseModel

from crm_core.api.deps import ActorDep, ServicesDep
from crm_core.api.responses import errors
from crm_core.errors import ConflictError, PermissionDeniedError
from crm_core.models.enums import Role
from cti.actions.port import Telephony
from cti.agents.spy import SpyMode

Extension = Annotated[str, Path(pattern=r"^[0-9A-Za-z_.-]{1,32}$")]


class SpyRequest(BaseModel):
    mode: SpyMode


class SpyStarted(BaseModel):
    agent: str
    mode: SpyMode
    linkedid: str
    ringing: str


def supervision_router(telephony: Telephony) -> APIRouter:
    router = APIRouter(
        prefix="/api/supervisor", tags=["supervisor"], responses=errors(400, 401, 403, 409, 503)
    )

    @router.post("/agents/{extension}/spy", status_code=status.HTTP_202_ACCEPTED)
    async def spy_on(
        extension: Extension, body: SpyRequest, actor: ActorDep, services: ServicesDep
    ) -> SpyStarted:
        """Ring the supervisor's own phone into ChanSpy on the agent's current call (audited).

        403: not a supervisor or admin; 409: no own extension, own phone offline, or the agent
        is not on a call; 503: Asterisk not connected."""
        if actor.role not in (Role.SUPERVISOR, Role.ADMIN) or actor.id is None:
            raise PermissionDeniedError(
                "only supervisors and admins may listen in", code="staff_only_listen"
            )
        me = await services.users.get(actor.id)
        if not me.extensions:
            raise ConflictError(
                "you have no phone extension, so no phone of yours can ring to listen in: "
                "ask an admin to give you one",
                code="no_extension_to_listen",
            )
        linkedid = await telephony.spy(actor, me.extensions[0], extension, body.mode)
        return SpyStarted(
            agent=extension, mode=body.mode, linkedid=linkedid, ringing=me.extensions[0]
        )

    return router
