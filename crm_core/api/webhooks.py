"""/api/admin/webhooks: outgoing webhook subscriptions and the dead-letter list (admins only;
403 otherwise). Every change is validated (422 naming the field) and audited."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from crm_core.api.deps import ActorDep, IdPath, ServicesDep
from crm_core.api.responses import errors
from crm_core.services.dto.common import DB_INT_MAX
from crm_core.webhooks.dto import (
    DeadLetter,
    Replayed,
    SubscriptionCreate,
    SubscriptionCreated,
    SubscriptionOut,
    SubscriptionPatch,
)

router = APIRouter(
    prefix="/admin/webhooks", tags=["webhooks"], responses=errors(400, 401, 403, 404)
)


@router.get("")
async def list_subscriptions(actor: ActorDep, services: ServicesDep) -> list[SubscriptionOut]:
    """Every subscription with its deliveries waiting (`pending`) and given up on (`dead`)."""
    return await services.webhooks.list(actor)


@router.post("", status_code=201)
async def create_subscription(
    actor: ActorDep, services: ServicesDep, body: SubscriptionCreate
) -> SubscriptionCreated:
    """The answer holds the signing secret (generated when left out): the only time it is shown."""
    return await services.webhooks.create(actor, body)


@router.patch("/{subscription_id}")
async def update_subscription(
    actor: ActorDep, services: ServicesDep, subscription_id: IdPath, body: SubscriptionPatch
) -> SubscriptionOut:
    return await services.webhooks.update(actor, subscription_id, body)


@router.delete("/{subscription_id}", status_code=204)
async def delete_subscription(
    actor: ActorDep, services: ServicesDep, subscription_id: IdPath
) -> Response:
    await services.webhooks.delete(actor, subscription_id)
    return Response(status_code=204)


@router.get("/dead")
async def dead_letters(
    actor: ActorDep,
    services: ServicesDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[DeadLetter]:
    """Deliveries given up on after every retry, oldest first, with the event as sent."""
    return list(await services.webhooks.dead_letters(actor, limit))


@router.post("/dead/replay")
async def replay_dead_letters(
    actor: ActorDep,
    services: ServicesDep,
    subscription_id: Annotated[int | None, Query(ge=1, le=DB_INT_MAX)] = None,
) -> Replayed:
    """Send every dead letter again (of one subscription with `?subscription_id=`)."""
    return await services.webhooks.replay(actor, subscription_id=subscription_id)


@router.post("/dead/{delivery_id}/replay")
async def replay_dead_letter(
    actor: ActorDep, services: ServicesDep, delivery_id: IdPath
) -> Replayed:
    return await services.webhooks.replay(actor, delivery_id=delivery_id)
