"""/api/admin/routing: the routing rules, in order. Reading: supervisors and admins; changes:
admins only (403 otherwise), each validated (422 naming the field) and audited."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query, Response

from crm_core.api.deps import ActorDep, IdPath, ServicesDep
from crm_core.api.responses import errors
from crm_core.services.dto.common import DB_INT_MAX
from crm_core.services.routing_dto import RuleOut, RulePatch, RuleSpec

router = APIRouter(
    prefix="/admin/routing", tags=["routing"], responses=errors(400, 401, 403, 404, 409)
)
SpecBody = Annotated[RuleSpec, Body()]


@router.get("/rules")
async def list_rules(actor: ActorDep, services: ServicesDep) -> list[RuleOut]:
    return await services.routing.list(actor)


@router.post("/rules", status_code=201)
async def create_rule(
    actor: ActorDep,
    services: ServicesDep,
    body: SpecBody,
    position: Annotated[int | None, Query(ge=1, le=DB_INT_MAX)] = None,
) -> RuleOut:
    """Appended at the end unless `?position=N` (1 = first)."""
    return await services.routing.create(actor, body, position)


@router.put("/rules/{rule_id}")
async def replace_rule(
    actor: ActorDep, services: ServicesDep, rule_id: IdPath, body: SpecBody
) -> RuleOut:
    return await services.routing.replace(actor, rule_id, body)


@router.patch("/rules/{rule_id}")
async def patch_rule(
    actor: ActorDep, services: ServicesDep, rule_id: IdPath, body: RulePatch
) -> RuleOut:
    """Switch on or off (`enabled`), or move (`position`)."""
    return await services.routing.patch(actor, rule_id, body)


@router.delete("/rules/{rule_id}", status_code=204)
async def delete_rule(actor: ActorDep, services: ServicesDep, rule_id: IdPath) -> Response:
    await services.routing.delete(actor, rule_id)
    return Response(status_code=204)


@router.get("/queues")
async def list_queues(actor: ActorDep, services: ServicesDep) -> list[str]:
    """The queue names a rule may use."""
    await services.routing.list(actor)  # the same role check as the rules
    return services.routing.known_queues()
