"""POST /api/auth/login and GET /api/auth/me."""

from __future__ import annotations

from fastapi import APIRouter, Request

from crm_core.api.deps import ActorDep, ServicesDep
from crm_core.api.responses import errors
from crm_core.errors import AuthenticationError
from crm_core.services.dto import LoginRequest, LoginResult, UserOut

router = APIRouter(prefix="/auth", tags=["auth"], responses=errors(400, 401))


@router.post("/login", responses=errors(429, 503))
async def login(body: LoginRequest, services: ServicesDep, request: Request) -> LoginResult:
    """Throttled per login and per address (429 with Retry-After); 503 when the password
    checking workers are all busy. Unknown login and wrong password answer alike (401)."""
    address = request.client.host if request.client else ""
    return await services.users.login(body.login, body.password, address)


@router.get("/me")
async def me(actor: ActorDep, services: ServicesDep) -> UserOut:
    if actor.id is None:
        raise AuthenticationError("not a user")
    return await services.users.get(actor.id)
