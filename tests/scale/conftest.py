"""The scaled-out deployment shared by a module: an own PostgreSQL database, Redis, and
`cti serve --role ...` processes (tests/fixtures/processes.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest_asyncio
from redis.asyncio import Redis

from crm_core.models.enums import Role
from crm_core.services import build_services
from crm_core.services.dto import Actor, UserCreate
from crm_core.settings import CrmSettings
from tests.fixtures.db import fresh_postgres_database
from tests.fixtures.processes import SECRET

PASSWORD = "scaled-Out-passw0rd"


@pytest_asyncio.fixture(scope="module")
async def scaled_database(postgres_server: tuple[str, int, str]) -> AsyncIterator[str]:
    async with fresh_postgres_database(postgres_server, "cti_scaled") as url:
        yield url


async def forget_retained_state(redis_url: str) -> None:
    """What earlier runs left on this Redis database (never the stream other tests read)."""
    redis = Redis.from_url(redis_url)
    try:
        for pattern in ("cti:state:*", "cti:actions:*", "cti:bus:reader:*"):
            async for key in redis.scan_iter(match=pattern):
                await redis.delete(key)
    finally:
        await redis.aclose()


async def add_agents(database_url: str, folder: Path, extensions: list[str]) -> dict[str, str]:
    """Agents (login `agent<ext>`) in the deployment's database; returns extension -> login."""
    settings = CrmSettings(database_url=database_url, secret_key=SECRET, var_dir=folder / "var")
    services = build_services(settings)
    try:
        for extension in extensions:
            data = UserCreate(
                login=f"agent{extension}", password=PASSWORD, role=Role.AGENT,
                extensions=[extension], display_name=f"Agent {extension}",
            )  # fmt: skip
            await services.users.create(Actor.system(), data)
    finally:
        await services.dispose()
    return {extension: f"agent{extension}" for extension in extensions}


def token_from(url: str, login: str) -> str:
    answer = httpx.post(f"{url}/api/auth/login", json={"login": login, "password": PASSWORD})
    answer.raise_for_status()
    return str(answer.json()["access_token"])
