"""Wrap-up codes: /api/wrapup-codes (what a wrap-up offers: anyone signed in),
/api/admin/wrapup (the codes and queue rules: supervisors read, admins change, audited) and
POST /api/calls/{call_id}/wrapup (the agent's wrap-up: code, note, the code's rule)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from crm_core.api.deps import ActorDep, IdPath, ServicesDep
from crm_core.api.responses import errors
from crm_core.services.dto.wrapup import (
    QueueRuleOut,
    QueueRuleSet,
    WrapupChoices,
    WrapupClose,
    WrapupClosed,
    WrapupCodeCreate,
    WrapupCodeOut,
    WrapupCodePatch,
    WrapupSetup,
)

router = APIRouter(tags=["wrap-up"], responses=errors(400, 401, 403, 404))
QUEUE_PATTERN = r"^[A-Za-z0-9_.-]*$"


@router.get("/wrapup-codes")
async def wrapup_choices(
    actor: ActorDep,
    services: ServicesDep,
    queue: Annotated[str, Query(max_length=64, pattern=QUEUE_PATTERN)] = "",
) -> WrapupChoices:
    """The enabled codes for a call of `queue` (the queue's, then global ones) and whether
    the queue requires one."""
    return await services.wrapup_codes.choices(actor, queue)


@router.post("/calls/{call_id}/wrapup")
async def close_wrapup(
    actor: ActorDep, services: ServicesDep, call_id: IdPath, body: WrapupClose
) -> WrapupClosed:
    """Stores the code on the call (`wrapup_code`), the note on the card, and plans the
    code's call-back. A required code missing, or a code of another queue: 422 `wrapup_code`."""
    return await services.wrapups.close(actor, call_id, body)


@router.get("/admin/wrapup")
async def wrapup_setup(actor: ActorDep, services: ServicesDep) -> WrapupSetup:
    return await services.wrapup_codes.setup(actor)


@router.post("/admin/wrapup/codes", status_code=201)
async def create_code(
    actor: ActorDep, services: ServicesDep, body: WrapupCodeCreate
) -> WrapupCodeOut:
    return await services.wrapup_codes.create(actor, body)


@router.patch("/admin/wrapup/codes/{code_id}")
async def patch_code(
    actor: ActorDep, services: ServicesDep, code_id: IdPath, body: WrapupCodePatch
) -> WrapupCodeOut:
    return await services.wrapup_codes.patch(actor, code_id, body)


@router.delete("/admin/wrapup/codes/{code_id}", status_code=204)
async def delete_code(actor: ActorDep, services: ServicesDep, code_id: IdPath) -> Response:
    await services.wrapup_codes.delete(actor, code_id)
    return Response(status_code=204)


@router.put("/admin/wrapup/queues/{queue}")
async def set_queue_rule(
    actor: ActorDep,
    services: ServicesDep,
    queue: Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")],
    body: QueueRuleSet,
) -> QueueRuleOut:
    """`{"code_required": true}`: the queue's wrap-ups cannot close without a code."""
    return await services.wrapup_codes.set_queue_rule(actor, queue, body)
