"""The wrap-up codes report (supervisors and admins): calls counted by the code their wrap-up
got, per agent (the call's agent), per queue or per period bucket, for calls started in
[from, to). `answered_without_code` counts the group's answered calls with no code (yet)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import ColumnElement, String, and_, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.models import Call, User, WrapupCode
from crm_core.models.enums import Disposition
from crm_core.models.user import UserExtension
from crm_core.services.base import STAFF, ServiceBase, require_role
from crm_core.services.dto import Actor
from crm_core.services.dto.reports import ReportQuery
from crm_core.services.dto.wrapup import CodeName, WrapupGroup, WrapupReport, WrapupReportRow
from crm_core.services.report_sql import bucket_expression, bucket_keys

NO_CODE = ""


def _conditions(query: ReportQuery) -> list[ColumnElement[bool]]:
    conditions = [Call.started_at >= query.start, Call.started_at < query.end]
    if query.queue is not None:
        conditions.append(Call.queue == query.queue)
    if query.pbx is not None:
        conditions.append(Call.pbx == query.pbx)
    if query.agent is not None:
        mine = select(UserExtension.user_id).where(UserExtension.extension == query.agent)
        conditions.append(Call.agent_id.in_(mine.scalar_subquery()))
    return conditions


def _row(key: str, label: str, counts: dict[str, int]) -> WrapupReportRow:
    coded = {code: n for code, n in counts.items() if code != NO_CODE}
    return WrapupReportRow(
        key=key,
        label=label,
        counts=coded,
        coded=sum(coded.values()),
        answered_without_code=counts.get(NO_CODE, 0),
    )


class WrapupReportService(ServiceBase):
    async def report(self, actor: Actor, query: ReportQuery, group: WrapupGroup) -> WrapupReport:
        require_role(actor, *STAFF)
        async with self._sessions() as session:
            key = self._key(session, query, group)
            found = await self._counts(session, query, group, key)
            labels = await self._labels(session, group, set(found))
            codes = await self._code_names(session, query)
        keys = sorted(found)
        if group is WrapupGroup.PERIOD:
            keys = sorted(
                set(bucket_keys(query.start, query.end, query.bucket, query.tz)) | set(found)
            )
        rows = [_row(k, labels.get(k, k), found.get(k, {})) for k in keys]
        total: dict[str, int] = defaultdict(int)
        for counts in found.values():
            for code, n in counts.items():
                total[code] += n
        return WrapupReport(
            group=group,
            start=query.start,
            end=query.end,
            bucket=query.bucket if group is WrapupGroup.PERIOD else None,
            tz=query.tz,
            queue=query.queue,
            agent=query.agent,
            codes=codes,
            rows=rows,
            totals=_row("total", "Total", dict(total)),
        )

    def _key(self, session: AsyncSession, query: ReportQuery, group: WrapupGroup) -> Any:
        if group is WrapupGroup.QUEUE:
            return Call.queue
        if group is WrapupGroup.AGENT:
            return cast(Call.agent_id, String(20))
        dialect = session.get_bind().dialect.name
        return bucket_expression(dialect, Call.started_at, query.bucket, query.tz, query.start)

    async def _counts(
        self, session: AsyncSession, query: ReportQuery, group: WrapupGroup, key: Any
    ) -> dict[str, dict[str, int]]:
        code = func.coalesce(Call.wrapup_code, NO_CODE)
        counted = (Call.wrapup_code.is_not(None)) | (Call.disposition == Disposition.ANSWERED.value)
        conditions = [*_conditions(query), counted]
        if group is WrapupGroup.QUEUE:
            conditions.append(Call.queue != "")
        if group is WrapupGroup.AGENT:
            conditions.append(Call.agent_id.is_not(None))
        statement = (
            select(key.label("k"), code.label("code"), func.count(Call.id).label("n"))
            .where(and_(*conditions))
            .group_by(key, code)
        )
        found: dict[str, dict[str, int]] = defaultdict(dict)
        for row in await session.execute(statement):
            found[str(row.k)][row.code] = int(row.n)
        return found

    async def _labels(
        self, session: AsyncSession, group: WrapupGroup, keys: set[str]
    ) -> dict[str, str]:
        if group is not WrapupGroup.AGENT or not keys:
            return {}
        ids = [int(k) for k in keys]
        rows = await session.execute(
            select(User.id, User.display_name, User.login).where(User.id.in_(ids))
        )
        return {str(r.id): r.display_name or r.login for r in rows}

    async def _code_names(self, session: AsyncSession, query: ReportQuery) -> list[CodeName]:
        """The codes given in the period (most given first), with today's label or the label
        the call kept (a code deleted since)."""
        statement = (
            select(Call.wrapup_code, func.max(Call.wrapup_label), func.count(Call.id))
            .where(*_conditions(query), Call.wrapup_code.is_not(None))
            .group_by(Call.wrapup_code)
        )
        given = [(str(r[0]), r[1], int(r[2])) for r in await session.execute(statement)]
        rows = await session.execute(select(WrapupCode.code, WrapupCode.label))
        current = {code: label for code, label in rows}
        given.sort(key=lambda r: (-r[2], r[0]))
        return [CodeName(code=c, label=current.get(c) or label or c) for c, label, _ in given]
