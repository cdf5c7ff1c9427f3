"""Freeze a mutable Call into an immutable CallRecord."""

from __future__ import annotations

from cti.state.disposition import disposition_of
from cti.state.model import Call
from cti.state.records import CallRecord


def snapshot(call: Call, ended_at: float | None = None) -> CallRecord:
    answered_at = call.answered_at
    waited_until = answered_at if answered_at is not None else ended_at
    return CallRecord(
        linkedid=call.linkedid,
        direction=call.direction,
        caller=call.caller,
        caller_name=call.caller_name,
        callee=call.callee,
        did=call.did,
        queue=call.queue,
        agents_rang=tuple(call.agents_rang),
        answered_by=call.answered_by,
        disposition=None if ended_at is None else disposition_of(call),
        started_at=call.started_at,
        answered_at=answered_at,
        ended_at=ended_at,
        wait_seconds=_seconds(call.started_at, waited_until),
        talk_seconds=_talk(answered_at, ended_at),
        transfers=tuple(call.transfers),
        recording=call.recording,
        route_reason=call.route_reason,
        note=call.note,
        reconstructed=call.reconstructed,
        queued_at=call.queued_at,
        callback_of=call.callback_of,
    )


def _seconds(start: float, end: float | None) -> float | None:
    return None if end is None else round(max(0.0, end - start), 3)


def _talk(answered_at: float | None, ended_at: float | None) -> float | None:
    if ended_at is None:
        return None
    return 0.0 if answered_at is None else _seconds(answered_at, ended_at)
