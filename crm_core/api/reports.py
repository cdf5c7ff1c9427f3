"""/api/reports/{queues,agents,timeline,wrapup-codes}: call reports for supervisors and admins
(agents: 403); wrapup-codes counts the wrap-up codes per agent, queue or period (`group`).

Query: from, to (ISO date or datetime; naive ones are read in `tz`; the period is [from, to)),
bucket (timeline: hour, day, week; hour only up to 92 days), queue, agent (extension),
threshold (service level seconds, default 20), tz (IANA zone, default UTC), format=json|csv.
`/api/reports/<name>.csv` is the same as `?format=csv`. from >= to, an unknown zone, a period
over ten years, an hour bucket over 92 days or a timeline over 4,000 buckets: 422 naming the
field. An unknown queue or agent: 200 with no rows. At most two reports are computed at once
(the others wait), and answers are serialised off the event loop. CSV cells that a spreadsheet
would run as a formula (= + - @) are prefixed with an apostrophe.
"""

from __future__ import annotations

import asyncio
import csv
import io
import weakref
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from crm_core.api.deps import ActorDep, ServicesDep
from crm_core.api.responses import errors
from crm_core.services.dto.calls import PBX_PATTERN
from crm_core.services.dto.common import NO_NUL, ZONE_NAMES
from crm_core.services.dto.reports import Bucket, Report, ReportQuery, ReportRow
from crm_core.services.dto.wrapup import WrapupGroup, WrapupReport
from crm_core.services.reports import ReportService
from crm_core.services.wrapup_report import WrapupReportService

router = APIRouter(prefix="/reports", tags=["reports"], responses=errors(401, 403))
CSV_COLUMNS = [name for name in ReportRow.model_fields if name not in ("label", "pause_reasons")]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
REPORTS_AT_ONCE = 2


def report_query(
    start: Annotated[datetime, Query(alias="from", description="before `to`")],
    end: Annotated[datetime, Query(alias="to", description="after `from`; hour buckets: 92 days")],
    bucket: Bucket = Bucket.DAY,
    queue: Annotated[str | None, Query(max_length=64, pattern=NO_NUL)] = None,
    agent: Annotated[str | None, Query(max_length=64, pattern=NO_NUL)] = None,
    threshold: Annotated[int, Query(ge=0, le=3600)] = 20,
    tz: Annotated[str, Query(max_length=64, json_schema_extra={"enum": ZONE_NAMES})] = "UTC",
    pbx: Annotated[
        str | None, Query(pattern=PBX_PATTERN, description="only this PBX's calls (CTI_PBXS)")
    ] = None,
) -> ReportQuery:
    fields = {"from": start, "to": end, "bucket": bucket, "queue": queue, "agent": agent}
    fields |= {"pbx": pbx}
    try:
        query = ReportQuery.model_validate(fields | {"threshold": threshold, "tz": tz})
    except ValidationError as exc:
        raise RequestValidationError(exc.errors(include_url=False, include_context=False)) from exc
    _checked(query.check_period, "from")
    _checked(query.check_bucket_span, "bucket")
    return query


def _checked(check: Callable[[], None], field: str) -> None:
    try:
        check()
    except PydanticCustomError as exc:
        detail = {"loc": ["query", field], "msg": exc.message(), "type": exc.type}
        raise RequestValidationError([detail | {"ctx": exc.context or {}}]) from exc


QueryDep = Annotated[ReportQuery, Depends(report_query)]


def timeline_query(query: QueryDep) -> ReportQuery:
    _checked(query.check_timeline_size, "bucket")
    return query


TimelineQueryDep = Annotated[ReportQuery, Depends(timeline_query)]
CSV_TOO: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "format=csv"}
}
Format = Annotated[Literal["json", "csv"], Query(alias="format")]


def cell(value: object) -> object:
    """A CSV cell that a spreadsheet will not run: text starting with = + - @ (or a tab or a
    carriage return) is prefixed with an apostrophe (OWASP's CSV injection advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(report: Report) -> str:
    """One column per field; pause time by reason as `pause:<reason>` columns (agent report)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    lines = [*report.rows, report.totals]
    reasons = sorted({reason for row in lines for reason in row.pause_reasons or {}})
    header = ["label", *CSV_COLUMNS, *(f"pause:{r or 'no reason'}" for r in reasons)]
    writer.writerow([cell(name) for name in header])
    for row in lines:
        values = row.model_dump()
        by_reason = row.pause_reasons
        writer.writerow(
            [
                cell(row.label),
                *("" if values[c] is None else cell(values[c]) for c in CSV_COLUMNS),
                *("" if by_reason is None else by_reason.get(r, 0) for r in reasons),
            ]
        )
    return buffer.getvalue()


def _render(report: Report, fmt: str) -> Response:
    if fmt == "csv":
        name = f"{report.kind}-{report.start:%Y%m%d}-{report.end:%Y%m%d}.csv"
        headers = {"Content-Disposition": f'attachment; filename="{name}"'}
        return Response(to_csv(report), media_type="text/csv; charset=utf-8", headers=headers)
    return JSONResponse(report.model_dump(mode="json", by_alias=True))


async def respond(report: Report, fmt: str) -> Response:
    """Serialised in a worker thread: a large report does not hold up other requests."""
    return await asyncio.to_thread(_render, report, fmt)


_RUNNING: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)


async def at_most_a_few(work: Awaitable[Report]) -> Report:
    """At most REPORTS_AT_ONCE reports are computed at a time; the others wait their turn."""
    loop = asyncio.get_running_loop()
    gate = _RUNNING.setdefault(loop, asyncio.Semaphore(REPORTS_AT_ONCE))
    async with gate:
        return await work


def _service(services: ServicesDep) -> ReportService:
    return ReportService(services.sessions, services.settings)


ReportsDep = Annotated[ReportService, Depends(_service)]


@router.get("/queues", response_model=Report, responses=CSV_TOO)
async def queues(
    actor: ActorDep, reports: ReportsDep, query: QueryDep, fmt: Format = "json"
) -> Response:
    """Per queue: offered, answered, abandoned, service level, ASA, AHT, missed call-backs."""
    return await respond(await at_most_a_few(reports.queues(actor, query)), fmt)


@router.get("/queues.csv", include_in_schema=False)
async def queues_csv(actor: ActorDep, reports: ReportsDep, query: QueryDep) -> Response:
    return await respond(await at_most_a_few(reports.queues(actor, query)), "csv")


@router.get("/agents", response_model=Report, responses=CSV_TOO)
async def agents(
    actor: ActorDep, reports: ReportsDep, query: QueryDep, fmt: Format = "json"
) -> Response:
    """Per agent extension: answered, talk time, ASA, AHT, service level, missed call-backs,
    pause time (by reason) and login time."""
    return await respond(await at_most_a_few(reports.agents(actor, query)), fmt)


@router.get("/agents.csv", include_in_schema=False)
async def agents_csv(actor: ActorDep, reports: ReportsDep, query: QueryDep) -> Response:
    return await respond(await at_most_a_few(reports.agents(actor, query)), "csv")


@router.get("/timeline", response_model=Report, responses=CSV_TOO)
async def timeline(
    actor: ActorDep, reports: ReportsDep, query: TimelineQueryDep, fmt: Format = "json"
) -> Response:
    """Per hour, day or week (`bucket`) of the period; empty buckets as zeros."""
    return await respond(await at_most_a_few(reports.timeline(actor, query)), fmt)


@router.get("/timeline.csv", include_in_schema=False)
async def timeline_csv(actor: ActorDep, reports: ReportsDep, query: TimelineQueryDep) -> Response:
    return await respond(await at_most_a_few(reports.timeline(actor, query)), "csv")


def wrapup_csv(report: WrapupReport) -> str:
    """label, key, one column per code (its label), coded, answered without a code."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    header = ["label", "key", *(c.label for c in report.codes), "coded", "answered_without_code"]
    writer.writerow([cell(name) for name in header])
    for row in [*report.rows, report.totals]:
        counts = [row.counts.get(c.code, 0) for c in report.codes]
        writer.writerow(
            [cell(row.label), cell(row.key), *counts, row.coded, row.answered_without_code]
        )
    return buffer.getvalue()


def _render_wrapup(report: WrapupReport, fmt: str) -> Response:
    if fmt == "csv":
        name = f"wrapup-codes-{report.group}-{report.start:%Y%m%d}-{report.end:%Y%m%d}.csv"
        headers = {"Content-Disposition": f'attachment; filename="{name}"'}
        return Response(wrapup_csv(report), media_type="text/csv; charset=utf-8", headers=headers)
    return JSONResponse(report.model_dump(mode="json", by_alias=True))


def _wrapup_service(services: ServicesDep) -> WrapupReportService:
    return WrapupReportService(services.sessions, services.settings)


WrapupReportsDep = Annotated[WrapupReportService, Depends(_wrapup_service)]


async def _wrapup_report(
    actor: ActorDep, reports: WrapupReportsDep, query: ReportQuery, group: WrapupGroup, fmt: str
) -> Response:
    if group is WrapupGroup.PERIOD:
        _checked(query.check_timeline_size, "bucket")
    async with _RUNNING.setdefault(asyncio.get_running_loop(), asyncio.Semaphore(REPORTS_AT_ONCE)):
        report = await reports.report(actor, query, group)
    return await asyncio.to_thread(_render_wrapup, report, fmt)


@router.get("/wrapup-codes", response_model=WrapupReport, responses=CSV_TOO)
async def wrapup_codes(
    actor: ActorDep,
    reports: WrapupReportsDep,
    query: QueryDep,
    group: WrapupGroup = WrapupGroup.AGENT,
    fmt: Format = "json",
) -> Response:
    """Calls counted by wrap-up code per agent, queue or period bucket (`group`)."""
    return await _wrapup_report(actor, reports, query, group, fmt)


@router.get("/wrapup-codes.csv", include_in_schema=False)
async def wrapup_codes_csv(
    actor: ActorDep,
    reports: WrapupReportsDep,
    query: QueryDep,
    group: WrapupGroup = WrapupGroup.AGENT,
) -> Response:
    return await _wrapup_report(actor, reports, query, group, "csv")
