"""Helpers for command-line entry points: open the services, bootstrap the first admin."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import select

from crm_core.migrate import upgrade
from crm_core.models import User
from crm_core.models.enums import Role
from crm_core.services import Services, build_services
from crm_core.services.dto import Actor, UserCreate
from crm_core.settings import CrmSettings


@asynccontextmanager
async def open_services(settings: CrmSettings, *, migrate: bool = True) -> AsyncIterator[Services]:
    """Services on a migrated database, disposed on exit."""
    services = build_services(settings)
    try:
        if migrate:
            await upgrade(services.engine)
        yield services
    finally:
        await services.dispose()


async def ensure_admin(services: Services, login: str = "admin") -> str | None:
    """Create the first admin when the database has none; returns its password, or None."""
    async with services.sessions() as session:
        existing = await session.scalar(
            select(User.id).where(User.role == Role.ADMIN.value).limit(1)
        )
    if existing is not None:
        return None
    password = secrets.token_urlsafe(12)
    data = UserCreate(login=login, password=password, role=Role.ADMIN, display_name="Administrator")
    await services.users.create(Actor.system("bootstrap"), data)
    return password
