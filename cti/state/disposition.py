"""How a call ended, judged from the caller's side (docs: call-semantics.md, "Disposition")."""

from __future__ import annotations

from cti.state.model import Call
from cti.state.records import Disposition

BUSY_CAUSES = frozenset({"17"})
FAILED_CAUSES = frozenset({"1", "3", "27", "34", "38"})
FAILED_DIAL = frozenset({"CHANUNAVAIL", "CONGESTION"})


def disposition_of(call: Call) -> Disposition:
    if call.answered:
        return "answered"
    if call.callback_requested is not None:
        return "callback_requested"  # left the queue by choice: the bridge calls back
    if call.queue is not None:
        return _queued(call)
    if call.dial_status == "BUSY" or (call.caller_cause in BUSY_CAUSES and not call.ring_seen):
        return "busy"
    if call.abandoned:
        return "abandoned" if call.direction == "inbound" else "missed"
    if call.ring_seen or call.dial_status == "NOANSWER":
        return "missed"
    if call.dial_status in FAILED_DIAL or call.caller_cause in FAILED_CAUSES:
        return "failed"
    return "abandoned" if call.direction == "inbound" else "failed"


def _queued(call: Call) -> Disposition:
    """In a queue, member statuses (a busy member, a ring timeout) say nothing about the caller."""
    if call.abandoned and call.direction == "inbound":
        return "abandoned"
    return "missed"
