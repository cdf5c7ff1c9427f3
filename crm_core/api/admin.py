"""/api/users (list: supervisors and admins; changes: admins; the name directory: anyone signed
in) and /api/audit (staff)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from crm_core.api.deps import ActorDep, IdPath, PageDep, ServicesDep
from crm_core.api.responses import errors
from crm_core.services.dto import AuditOut, Page, StaffName, UserCreate, UserOut, UserUpdate
from crm_core.services.dto.common import DB_INT_MAX, NO_NUL

router = APIRouter(tags=["admin"], responses=errors(400, 401, 403, 404, 409))


@router.get("/users")
async def list_users(actor: ActorDep, services: ServicesDep) -> list[UserOut]:
    return await services.users.list(actor)


@router.get("/users/directory")
async def staff_directory(_actor: ActorDep, services: ServicesDep) -> list[StaffName]:
    """The display name behind each extension (active users): what every page calls an agent."""
    return list(await services.users.directory())


@router.post("/users", status_code=201)
async def create_user(actor: ActorDep, services: ServicesDep, body: UserCreate) -> UserOut:
    return await services.users.create(actor, body)


@router.patch("/users/{user_id}")
async def update_user(
    actor: ActorDep, services: ServicesDep, user_id: IdPath, body: UserUpdate
) -> UserOut:
    return await services.users.update(actor, user_id, body)


@router.get("/audit")
async def list_audit(
    actor: ActorDep,
    services: ServicesDep,
    page: PageDep,
    table: Annotated[str | None, Query(max_length=64, pattern=NO_NUL)] = None,
    record_id: Annotated[int | None, Query(ge=1, le=DB_INT_MAX)] = None,
) -> Page[AuditOut]:
    return await services.audit.list(actor, page, table, record_id)
