"""/api/calls (agents: their own; supervisors and admins: all) and /api/lookup."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from crm_core.api.deps import ActorDep, IdPath, ServicesDep
from crm_core.api.responses import errors
from crm_core.errors import NotFoundError
from crm_core.services.dto import CallFilter, CallOut, Card, Page
from crm_core.services.dto.common import NO_NUL

router = APIRouter(tags=["calls"], responses=errors(401, 404))


@router.get("/calls")
async def list_calls(
    actor: ActorDep, services: ServicesDep, filters: Annotated[CallFilter, Depends()]
) -> Page[CallOut]:
    """Calls newest first, filtered by period (started_from/started_to), agent_id, direction,
    disposition, contact_id and pbx (several PBXs: CTI_PBXS)."""
    return await services.calls.list(actor, filters)


@router.get("/calls/{call_id}")
async def get_call(actor: ActorDep, services: ServicesDep, call_id: IdPath) -> CallOut:
    return await services.calls.get(actor, call_id)


@router.get("/lookup")
async def lookup(
    actor: ActorDep,
    services: ServicesDep,
    phone: Annotated[str, Query(min_length=1, max_length=64, pattern=NO_NUL)],
) -> Card:
    """The card for a phone number in any spelling; 404 when no card holds it. An agent's
    card shows their own calls and tasks only."""
    card = await services.cards.lookup(phone, actor)
    if card is None:
        raise NotFoundError("card for phone", phone)
    return card
