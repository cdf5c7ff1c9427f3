"""Login and pause time from the agent events of a period, in one query of window functions.

Per queue, each event says whether the agent is now in the queue and paused there; LAG turns
that into +1/-1 steps, and running sums of the steps over all of an agent's queues give "in how
many queues logged in / paused". The time from one event to the agent's next one counts as
login time while that is > 0, and as pause time (under the reason of the latest pause) while
paused somewhere. So an agent paused in two queues at once is paused once, not twice.
The state at the period's start comes from each queue's last event before it; time is clipped
to [start, min(end, now)).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, select, union_all

from crm_core.models import AgentEvent
from crm_core.models.base import UtcDateTime
from crm_core.services.dto.agent_events import AgentEventKind

E = AgentEvent
COLUMNS = (E.id, E.extension, E.queue, E.kind, E.reason, E.at)


def _moment(value: datetime) -> ColumnElement[datetime]:
    return literal(value, UtcDateTime())


def _seconds(dialect: str, later: Any, earlier: Any) -> Any:
    if dialect == "postgresql":
        return func.extract("epoch", later - earlier)
    return (func.julianday(later) - func.julianday(earlier)) * 86400.0


def _greatest(dialect: str, a: Any, b: Any) -> Any:
    return func.greatest(a, b) if dialect == "postgresql" else func.max(a, b)


def _events(start: datetime, end: datetime, filters: list[ColumnElement[bool]]) -> Any:
    """The period's events, plus each (agent, queue)'s last event before it: the start state."""
    before = (
        select(E.extension, E.queue, func.max(E.at).label("at"))
        .where(E.at < start, *filters)
        .group_by(E.extension, E.queue)
        .subquery()
    )
    on = and_(E.extension == before.c.extension, E.queue == before.c.queue, E.at == before.c.at)
    seeds = select(*COLUMNS).join(before, on)
    inside = select(*COLUMNS).where(E.at >= start, E.at < end, *filters)
    return union_all(seeds, inside).subquery("e")


def _steps(events: Any) -> Any:
    paused = case((events.c.kind == AgentEventKind.PAUSE.value, 1), else_=0)
    present = case((events.c.kind == AgentEventKind.LOGOUT.value, 0), else_=1)
    per_queue: dict[str, Any] = {
        "partition_by": (events.c.extension, events.c.queue),
        "order_by": (events.c.at, events.c.id),
    }
    return select(
        events.c.id, events.c.extension, events.c.kind, events.c.reason, events.c.at,
        (paused - func.lag(paused, 1, 0).over(**per_queue)).label("dp"),
        (present - func.lag(present, 1, 0).over(**per_queue)).label("di"),
    ).subquery("s")  # fmt: skip


def _spans(dialect: str, steps: Any, start: datetime, stop: datetime) -> Any:
    t0 = _greatest(dialect, steps.c.at, _moment(start))
    agent: dict[str, Any] = {
        "partition_by": steps.c.extension,
        "order_by": (steps.c.at, steps.c.id),
    }
    pauses = case((steps.c.kind == AgentEventKind.PAUSE.value, 1), else_=0)
    return select(
        steps.c.id, steps.c.extension, steps.c.reason, steps.c.at, t0.label("t0"),
        func.lead(t0, 1, _moment(stop)).over(**agent).label("t1"),
        func.sum(steps.c.dp).over(**agent).label("n_paused"),
        func.sum(steps.c.di).over(**agent).label("n_in"),
        func.sum(pauses).over(**agent).label("grp"),
    ).subquery("p")  # fmt: skip


def agent_time_query(
    dialect: str, start: datetime, end: datetime, now: datetime,
    agent: str | None = None, queue: str | None = None,
) -> Select[Any]:  # fmt: skip
    """Rows (extension, reason or NULL when not paused, login seconds, pause seconds)."""
    filters: list[ColumnElement[bool]] = []
    if agent is not None:
        filters.append(E.extension == agent)
    if queue is not None:
        filters.append(E.queue == queue)
    spans = _spans(dialect, _steps(_events(start, end, filters)), start, min(end, now))
    group: dict[str, Any] = {
        "partition_by": (spans.c.extension, spans.c.grp),
        "order_by": (spans.c.at, spans.c.id),
    }
    reason = func.first_value(spans.c.reason).over(**group)
    timed = select(
        spans.c.extension, spans.c.n_paused, spans.c.n_in, reason.label("reason"),
        _seconds(dialect, spans.c.t1, spans.c.t0).label("d"),
    ).subquery("t")  # fmt: skip
    span = case((timed.c.d > 0, timed.c.d), else_=0.0)
    paused_reason = case((timed.c.n_paused > 0, timed.c.reason), else_=None)
    return select(
        timed.c.extension,
        paused_reason.label("reason"),
        func.sum(case((timed.c.n_in > 0, span), else_=0.0)).label("login"),
        func.sum(case((timed.c.n_paused > 0, span), else_=0.0)).label("pause"),
    ).group_by(timed.c.extension, paused_reason)
