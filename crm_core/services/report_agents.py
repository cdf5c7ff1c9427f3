"""The agent report's pause and login time: agent events joined to the rows of answered calls.

An agent who paused or logged in but answered nothing still gets a row. The totals add up the
agents' times (each agent's time is already counted once across queues).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from crm_core.services.dto.agent_events import AgentTime
from crm_core.services.dto.reports import ReportRow

AGENT_TIME_NOTE = (
    "Pause and logged-in time are per agent (the agent report, pause_seconds / login_seconds): "
    "the time an agent was paused in, or logged in to, at least one queue, from the queue logins "
    "and pauses the bridge recorded; a pause counts under its latest reason."
)


def _timed(row: ReportRow, time: AgentTime | None) -> ReportRow:
    time = time or AgentTime(extension=row.key)
    return row.model_copy(
        update={
            "pause_seconds": time.pause_seconds,
            "pause_reasons": dict(time.pause_reasons),
            "login_seconds": time.login_seconds,
        }
    )


def with_agent_time(
    rows: Iterable[ReportRow], totals: ReportRow, times: Mapping[str, AgentTime],
    labels: Mapping[str, str],
) -> tuple[list[ReportRow], ReportRow]:  # fmt: skip
    listed = list(rows)
    keys = {row.key for row in listed}
    listed += [
        ReportRow(key=k, label=labels.get(k, k), offered=None, abandoned=None)
        for k in set(times) - keys
    ]
    timed = sorted((_timed(row, times.get(row.key)) for row in listed), key=lambda r: r.key)
    reasons: Counter[str] = Counter()
    for time in times.values():
        reasons.update(time.pause_reasons)
    total = totals.model_copy(
        update={
            "pause_seconds": sum(t.pause_seconds for t in times.values()),
            "pause_reasons": dict(reasons),
            "login_seconds": sum(t.login_seconds for t in times.values()),
        }
    )
    return timed, total
