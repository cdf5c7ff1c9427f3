"""POST /api/auth/login, GET /api/auth/me and PUT /api/auth/me/preferences."""

from __future__ import annotations

from fastapi import APIRouter, Request

from crm_core.api.deps import ActorDep, ServicesDep
from crm_core.api.responses import errors
from crm_core.errors import AuthenticationError
from crm_core.services.dto import LoginRequest, LoginResult, PreferencesUpdate, UserOut

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
        raise AuthenticationError("not a user", code="not_a_user")
    return await services.users.get(actor.id)


@router.put("/me/preferences")
async def set_preferences(
    body: PreferencesUpdate, actor: ActorDep, services: ServicesDep
) -> UserOut:
    """The signed-in user's own settings: `language` is the page's language for them
    (null: the browser's). Any role, for themselves only."""
    return await services.users.set_preferences(actor, body)
