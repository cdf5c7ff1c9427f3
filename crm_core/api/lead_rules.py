"""/api/admin/lead-rules: the rules that give new leads an owner, in order (reading: supervisors
and admins; changes: admins, validated with a 422 naming the field, audited); /api/leads: the
newest leads with why they have their owner, and a supervisor's bulk reassignment."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from crm_core.api.deps import ActorDep, IdPath, ServicesDep
from crm_core.api.responses import errors
from crm_core.services.dto.common import DB_INT_MAX
from crm_core.services.lead_rules import LeadRuleService, lead_rules_of
from crm_core.services.lead_rules_dto import (
    LeadRow,
    LeadRuleOut,
    LeadRuleSpec,
    Reassign,
    Reassigned,
)
from crm_core.services.routing_dto import RulePatch

router = APIRouter(tags=["leads"], responses=errors(400, 401, 403, 404, 409))
RULES = "/admin/lead-rules"


def _lead_rules(services: ServicesDep) -> LeadRuleService:
    return lead_rules_of(services)


LeadRulesDep = Annotated[LeadRuleService, Depends(_lead_rules)]


@router.get(RULES)
async def list_lead_rules(actor: ActorDep, rules: LeadRulesDep) -> list[LeadRuleOut]:
    return await rules.list_rules(actor)


@router.post(RULES, status_code=201)
async def create_lead_rule(
    actor: ActorDep,
    rules: LeadRulesDep,
    body: LeadRuleSpec,
    position: Annotated[int | None, Query(ge=1, le=DB_INT_MAX)] = None,
) -> LeadRuleOut:
    """Appended at the end unless `?position=N` (1 = first)."""
    return await rules.create(actor, body, position)


@router.put(RULES + "/{rule_id}")
async def replace_lead_rule(
    actor: ActorDep, rules: LeadRulesDep, rule_id: IdPath, body: LeadRuleSpec
) -> LeadRuleOut:
    return await rules.replace(actor, rule_id, body)


@router.patch(RULES + "/{rule_id}")
async def patch_lead_rule(
    actor: ActorDep, rules: LeadRulesDep, rule_id: IdPath, body: RulePatch
) -> LeadRuleOut:
    """Switch on or off (`enabled`), or move (`position`)."""
    return await rules.patch(actor, rule_id, body)


@router.delete(RULES + "/{rule_id}", status_code=204)
async def delete_lead_rule(actor: ActorDep, rules: LeadRulesDep, rule_id: IdPath) -> Response:
    await rules.delete(actor, rule_id)
    return Response(status_code=204)


@router.get("/leads")
async def recent_leads(
    actor: ActorDep,
    rules: LeadRulesDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[LeadRow]:
    """The newest leads, each with its owner and the reason it has that owner."""
    return await rules.recent_leads(actor, limit)


@router.post("/leads/reassign")
async def reassign_leads(actor: ActorDep, rules: LeadRulesDep, body: Reassign) -> Reassigned:
    """Supervisors and admins: give the selected cards to `owner_id` (each change audited)."""
    return await rules.reassign(actor, body)
