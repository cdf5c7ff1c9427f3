"""The messages an agent's browser receives on /ws/agent (documented in the README)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from cti.state.records import CallRecord

Message = dict[str, Any]


def iso(timestamp: float | None) -> str | None:
    if timestamp is None:
        return None
    return datetime.fromtimestamp(timestamp, UTC).isoformat()


def external_number(call: CallRecord) -> str:
    """The number of the party outside the company: who called in, or who was dialled."""
    if call.direction == "inbound":
        return call.caller
    if call.direction == "outbound":
        return call.callee
    return ""


def call_summary(call: CallRecord) -> Message:
    record = call.as_dict()
    for key in ("started_at", "answered_at", "ended_at"):
        record[key] = iso(getattr(call, key))
    record["transfers"] = [
        transfer.as_dict() | {"at": iso(transfer.at)} for transfer in call.transfers
    ]
    record["number"] = external_number(call)
    return record


def pop(kind: str, call: CallRecord, card: Message | None, **extra: Any) -> Message:
    """`ring`, `answered` and `ended` carry the call and the card (None: unknown number)."""
    return {
        "type": kind,
        "linkedid": call.linkedid,
        "call": call_summary(call),
        "card": card,
    } | extra


def withdraw(linkedid: str, reason: str) -> Message:
    return {"type": "withdraw", "linkedid": linkedid, "reason": reason}
