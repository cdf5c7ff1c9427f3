"""/api/users (list: supervisors and admins; changes: admins) and /api/audit (staff)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from crm_core.api.deps import ActorDep, PageDep, ServicesDep
from crm_core.services.dto import AuditOut, Page, UserCreate, UserOut, UserUpdate

router = APIRouter(tags=["admin"])


@router.get("/users")
async def list_users(actor: ActorDep, services: ServicesDep) -> list[UserOut]:
    return await services.users.list(actor)


@router.post("/users", status_code=201)
async def create_user(actor: ActorDep, services: ServicesDep, body: UserCreate) -> UserOut:
    return await services.users.create(actor, body)


@router.patch("/users/{user_id}")
async def update_user(
    actor: ActorDep, services: ServicesDep, user_id: int, body: UserUpdate
) -> UserOut:
    return await services.users.update(actor, user_id, body)


@router.get("/audit")
async def list_audit(
    actor: ActorDep,
    services: ServicesDep,
    page: PageDep,
    table: Annotated[str | None, Query(max_length=64)] = None,
    record_id: int | None = None,
) -> Page[AuditOut]:
    return await services.audit.list(actor, page, table, record_id)
