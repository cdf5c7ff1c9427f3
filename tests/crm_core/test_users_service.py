"""Users: create, authenticate, extensions, roles."""

from __future__ import annotations

import pytest

from crm_core.errors import AuthenticationError, ConflictError, PermissionDeniedError
from crm_core.models.enums import Role
from crm_core.services import Services
from crm_core.services.dto import Actor, UserCreate, UserUpdate
from tests.fixtures.db import MakeUser

SYSTEM = Actor.system()


async def test_authenticate_checks_password_and_activity(
    services: Services, make_user: MakeUser
) -> None:
    user, password = await make_user(Role.AGENT, login="eva")
    assert (await services.users.authenticate("eva", password)).id == user.id
    with pytest.raises(AuthenticationError):
        await services.users.authenticate("eva", password + "x")
    with pytest.raises(AuthenticationError):
        await services.users.authenticate("nobody", password)
    await services.users.update(SYSTEM, user.id, UserUpdate(active=False))
    with pytest.raises(AuthenticationError):
        await services.users.authenticate("eva", password)


async def test_find_by_extension(services: Services, make_user: MakeUser) -> None:
    user, _ = await make_user(Role.AGENT, extensions=["1001", "2001"])
    assert (await services.users.find_by_extension("2001")) == user
    assert await services.users.find_by_extension("1999") is None


async def test_an_extension_belongs_to_one_user(services: Services, make_user: MakeUser) -> None:
    await make_user(Role.AGENT, extensions=["1001"])
    with pytest.raises(ConflictError, match="1001"):
        await make_user(Role.AGENT, extensions=["1001"])


async def test_duplicate_login_conflicts(services: Services, make_user: MakeUser) -> None:
    await make_user(Role.AGENT, login="same")
    with pytest.raises(ConflictError):
        await make_user(Role.AGENT, login="same")


async def test_only_admins_create_users(services: Services, make_user: MakeUser) -> None:
    supervisor, _ = await make_user(Role.SUPERVISOR)
    actor = Actor(id=supervisor.id, login=supervisor.login, role=Role.SUPERVISOR)
    with pytest.raises(PermissionDeniedError):
        await services.users.create(actor, UserCreate(login="x", password="secret"))


async def test_token_stands_for_the_user(services: Services, make_user: MakeUser) -> None:
    user, password = await make_user(Role.SUPERVISOR)
    result = await services.users.login(user.login, password)
    actor = await services.users.actor_for_token(result.access_token)
    assert (actor.id, actor.role) == (user.id, Role.SUPERVISOR)


async def test_directory_names_every_extension_of_active_users(
    services: Services, make_user: MakeUser
) -> None:
    def agent(login: str, name: str, *extensions: str) -> UserCreate:
        return UserCreate(login=login, password="pw-1234", display_name=name,
                          extensions=list(extensions))  # fmt: skip

    named = await services.users.create(SYSTEM, agent("boris", "Boris Kráľ", "2002", "1002"))
    gone = await services.users.create(SYSTEM, agent("gone", "Gone", "1003"))
    await services.users.update(SYSTEM, gone.id, UserUpdate(active=False))
    await make_user(Role.SUPERVISOR)  # no extension: not in the directory
    entries = await services.users.directory()
    assert [(e.extension, e.display_name, e.user_id) for e in entries] == [
        ("1002", "Boris Kráľ", named.id),
        ("2002", "Boris Kráľ", named.id),
    ]
