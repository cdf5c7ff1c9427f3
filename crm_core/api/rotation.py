"""/api/contacts/stale: the rotation — cards nobody contacted for N days — and its bulk actions.

GET /api/contacts/stale lists them (filters: days, owner_id, status, tag, queue; paged), the
longest-quiet first, each with its last contact; GET /api/contacts/stale.csv streams the same
rows (or only `contact_id=`s) as CSV. POST /api/contacts/stale/assign gives cards an owner, POST
/api/contacts/stale/callbacks plans a call-back on each, spread over the next days. Agents see and
act on their own cards only (403 naming the others); every change is audited.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

from crm_core.api.deps import ActorDep, PageDep, ServicesDep
from crm_core.api.reports import cell
from crm_core.api.responses import errors
from crm_core.models.enums import ContactStatus
from crm_core.services.dto import Actor, Page
from crm_core.services.dto.callbacks import CallbackOut
from crm_core.services.dto.common import DB_INT_MAX, NO_NUL
from crm_core.services.dto.rotation import (
    DEFAULT_STATUSES,
    MAX_BULK,
    MAX_STALE_DAYS,
    BulkAssign,
    BulkAssigned,
    BulkCallbacks,
    StaleContact,
    StaleFilter,
)
from crm_core.services.rotation import RotationService

router = APIRouter(prefix="/contacts", tags=["rotation"], responses=errors(400, 401, 403, 404))
CSV_COLUMNS = (
    "id", "name", "company", "status", "owner", "phone", "email",
    "last_contact_at", "last_contact_kind", "days_since",
)  # fmt: skip
Label = Query(min_length=1, max_length=64, pattern=NO_NUL)


def stale_filter(
    days: Annotated[int, Query(ge=1, le=MAX_STALE_DAYS)] = 30,
    owner_id: Annotated[int | None, Query(ge=1, le=DB_INT_MAX)] = None,
    status: Annotated[list[ContactStatus] | None, Query(max_length=4)] = None,
    tag: Annotated[str | None, Label] = None,
    queue: Annotated[str | None, Label] = None,
) -> StaleFilter:
    return StaleFilter(
        days=days, owner_id=owner_id, statuses=status or list(DEFAULT_STATUSES),
        tag=tag, queue=queue,
    )  # fmt: skip


FilterDep = Annotated[StaleFilter, Depends(stale_filter)]


def _rotation(services: ServicesDep) -> RotationService:
    return services.rotation


RotationDep = Annotated[RotationService, Depends(_rotation)]


@router.get("/stale")
async def stale_contacts(
    actor: ActorDep, rotation: RotationDep, wanted: FilterDep, page: PageDep
) -> Page[StaleContact]:
    """Leads and clients (`status`, repeatable) nobody contacted — answered call either way, note,
    completed task — for `days` days, the longest-quiet first; `tag`: the company's tag; `queue`:
    a call of theirs went through it. Agents: their own cards (another `owner_id`: 403)."""
    return await rotation.stale(actor, wanted, page)


def _csv_line(values: list[object]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([cell(value) for value in values])
    return buffer.getvalue()


def _csv_values(row: StaleContact) -> list[object]:
    phone = row.phones[0].e164 or row.phones[0].raw if row.phones else ""
    return [
        row.id, row.full_name, row.company.name if row.company else "", row.status.value,
        row.owner.display_name or row.owner.login if row.owner else "", phone, row.email,
        row.last_contact_at.isoformat() if row.last_contact_at else "",
        row.last_contact_kind.value if row.last_contact_kind else "", row.days_since,
    ]  # fmt: skip


async def _csv(rotation: RotationService, actor: Actor, wanted: StaleFilter) -> AsyncIterator[str]:
    yield "\ufeff" + _csv_line(list(CSV_COLUMNS))  # the BOM: spreadsheets read UTF-8 then
    async for row in rotation.export(actor, wanted):
        yield _csv_line(_csv_values(row))


CSV_ANSWER: dict[int | str, dict[str, object]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "CSV rows"}
}


@router.get("/stale.csv", response_class=StreamingResponse, responses=CSV_ANSWER)
async def stale_contacts_csv(
    actor: ActorDep,
    rotation: RotationDep,
    wanted: FilterDep,
    contact_id: Annotated[
        list[Annotated[int, Query(ge=1, le=DB_INT_MAX)]] | None, Query(max_length=MAX_BULK)
    ] = None,
) -> StreamingResponse:
    """The same rows as CSV, streamed: all that match, or only the `contact_id`s among them."""
    if contact_id:
        wanted = wanted.model_copy(update={"contact_ids": contact_id})
    rotation.check_may_list(actor, wanted)  # a refusal is a 403, not a broken stream
    headers = {"Content-Disposition": f'attachment; filename="rotation-{date.today()}.csv"'}
    return StreamingResponse(
        _csv(rotation, actor, wanted), media_type="text/csv; charset=utf-8", headers=headers
    )


@router.post("/stale/assign")
async def assign(actor: ActorDep, rotation: RotationDep, body: BulkAssign) -> BulkAssigned:
    """Give the cards to `owner_id` (audited per card); agents: only cards they own."""
    return await rotation.assign(actor, body)


@router.post("/stale/callbacks", status_code=201)
async def plan_callbacks(
    actor: ActorDep, rotation: RotationDep, body: BulkCallbacks
) -> list[CallbackOut]:
    """A call-back on each card for its owner, spread evenly over `days` days from `first_day`
    between `day_start` and `day_end` (`time_zone`), weekdays only unless told otherwise."""
    return await rotation.plan_callbacks(actor, body)
