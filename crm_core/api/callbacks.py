"""/api/callbacks: scheduled call-backs ("Create call" on a card or after a call).

POST creates one for the caller (past time, empty subject: 422; unknown card or call: 404);
GET lists the caller's open ones, or with `start`/`end` those due in that period (the calendar's
week, done ones included; one of them alone: the longest period from or up to it); PATCH
reschedules; POST /{id}/done completes. GET /overdue lists every agent's overdue call-backs for
supervisors and admins (agents: 403). Every change is audited.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.exceptions import RequestValidationError
from pydantic import AwareDatetime, ValidationError

from crm_core.api.deps import ActorDep, IdPath, ServicesDep
from crm_core.api.responses import errors
from crm_core.services.dto.callbacks import (
    MAX_RANGE_DAYS,
    CallbackChange,
    CallbackCreate,
    CallbackDone,
    CallbackOut,
    CallbackRange,
)

LONGEST = timedelta(days=MAX_RANGE_DAYS)
EARLIEST, LATEST = (moment.replace(tzinfo=UTC) for moment in (datetime.min, datetime.max))
router = APIRouter(
    prefix="/callbacks", tags=["callbacks"], responses=errors(400, 401, 403, 404, 409)
)


def _period(start: datetime | None, end: datetime | None) -> CallbackRange | None:
    if start is None and end is None:
        return None
    if start is None:
        assert end is not None
        start = end - min(LONGEST, end - EARLIEST)
    elif end is None:
        end = start + min(LONGEST, LATEST - start)
    try:
        return CallbackRange.model_validate({"start": start, "end": end})
    except ValidationError as exc:
        raise RequestValidationError(exc.errors()) from exc


@router.post("", status_code=201)
async def schedule(actor: ActorDep, services: ServicesDep, body: CallbackCreate) -> CallbackOut:
    return await services.callbacks.schedule(actor, body)


@router.get("")
async def my_callbacks(
    actor: ActorDep,
    services: ServicesDep,
    start: Annotated[AwareDatetime | None, Query()] = None,
    end: Annotated[AwareDatetime | None, Query()] = None,
) -> list[CallbackOut]:
    """Open call-backs, soonest first; `start` and `end` (ISO with offset): due in [start, end),
    at most 62 days; `start` alone: the 62 days from it; `end` alone: the 62 days up to it."""
    return await services.callbacks.mine(actor, _period(start, end))


@router.get("/overdue")
async def overdue(actor: ActorDep, services: ServicesDep) -> list[CallbackOut]:
    """Every agent's open call-backs past their time; supervisors and admins only."""
    return await services.callbacks.overdue(actor)


@router.patch("/{task_id}")
async def change(
    actor: ActorDep, services: ServicesDep, task_id: IdPath, body: CallbackChange
) -> CallbackOut:
    """A new `due_at` is notified again at that time."""
    return await services.callbacks.change(actor, task_id, body)


@router.post("/{task_id}/done")
async def done(
    actor: ActorDep, services: ServicesDep, task_id: IdPath, body: CallbackDone
) -> CallbackOut:
    return await services.callbacks.done(actor, task_id, body)
