"""`/healthz` (the process answers) and `/readyz` (it can do its role's work now), for load
balancers and orchestrators. Not ready is a 503 naming each failing part and why."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text

from crm_core.services import Services
from cti.bus.base import Bus

CHECK_SECONDS = 2.0


@dataclass(frozen=True)
class Check:
    name: str
    probe: Callable[[], Awaitable[str | None]]
    """None: fine; else why not."""


class Alive(BaseModel):
    status: str
    role: str


class Readiness(BaseModel):
    ready: bool
    role: str
    failing: list[str]
    checks: dict[str, str]
    lease: str | None = None
    """An ingest: "active" (it holds the lease) or "standby" (ready to take over: 200 too)."""


class LeaseRole(Protocol):
    @property
    def role(self) -> str: ...


def database_check(services: Services) -> Check:
    async def probe() -> str | None:
        async with services.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return None

    return Check("database", probe)


def bus_check(bus: Bus) -> Check:
    async def probe() -> str | None:
        await bus.ping()
        return None

    return Check("bus", probe)


def ami_check(state: Callable[[], str]) -> Check:
    async def probe() -> str | None:
        now = state()
        return None if now == "connected" else f"AMI is {now}"

    return Check("ami", probe)


def lease_check(lease: LeaseHolder | None) -> Check:
    """Ready as active or as standby; not ready when the lease cannot even be tried (the
    database is away): such a standby could not take over."""

    async def probe() -> str | None:
        if lease is None or lease.held or lease.error is None:
            return None
        return f"the lease cannot be tried: {lease.error}"

    return Check("lease", probe)


class LeaseHolder(Protocol):
    held: bool
    error: str | None


async def _run(check: Check) -> str | None:
    try:
        async with asyncio.timeout(CHECK_SECONDS):
            return await check.probe()
    except TimeoutError:
        return f"no answer within {CHECK_SECONDS:g} s"
    except Exception as exc:  # a readiness probe reports a failure, it never is one
        return f"{type(exc).__name__}: {exc}"


def health_router(
    role: str, checks: Sequence[Check], leadership: LeaseRole | None = None
) -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/healthz")
    async def healthz() -> Alive:
        """The process is alive (no dependency is asked)."""
        return Alive(status="alive", role=role)

    @router.get("/readyz", response_model=Readiness, responses={503: {"model": Readiness}})
    async def readyz() -> JSONResponse:
        """Ready for this role's work: ingest = AMI connected and the lease held or tried (a
        standby is ready: `lease` says "standby"); web = database and bus reachable; all = both.
        503 names the failing parts."""
        results = await asyncio.gather(*(_run(check) for check in checks))
        found = {check.name: why or "ok" for check, why in zip(checks, results, strict=True)}
        failing = [check.name for check, why in zip(checks, results, strict=True) if why]
        lease = None if leadership is None else leadership.role
        answer = Readiness(ready=not failing, role=role, failing=failing, checks=found, lease=lease)
        body = answer.model_dump(exclude_none=True)  # `lease`: an ingest only
        return JSONResponse(body, status_code=503 if failing else 200)

    return router
