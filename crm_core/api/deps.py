"""FastAPI dependencies: the services facade and the authenticated actor."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from crm_core.errors import AuthenticationError
from crm_core.services import Services
from crm_core.services.dto import Actor, PageParams
from crm_core.services.dto.common import DB_INT_MAX

_bearer = HTTPBearer(auto_error=False)


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


async def get_actor(
    services: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    if credentials is None:
        raise AuthenticationError("missing bearer token")
    return await services.users.actor_for_token(credentials.credentials)


ActorDep = Annotated[Actor, Depends(get_actor)]


async def get_optional_actor(
    services: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor | None:
    """The signed-in actor, or None for an anonymous caller (a wrong token is still 401)."""
    if credentials is None:
        return None
    return await services.users.actor_for_token(credentials.credentials)


OptionalActorDep = Annotated[Actor | None, Depends(get_optional_actor)]
PageDep = Annotated[PageParams, Depends()]
IdPath = Annotated[int, Path(ge=1, le=DB_INT_MAX)]
