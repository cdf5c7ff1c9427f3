"""The one webhook event schema, versioned.

Every body is an envelope::

    {"schema": "cti-bridge.webhook/1", "id": "<uuid4>", "type": "call.ended",
     "occurred_at": "2026-12-02T08:00:00+00:00", "call_id": "pbx1:1733130000.42" | null,
     "data": {...}}

`id` is unique per event (a receiver drops the repeats at-least-once delivery brings);
`call_id` is the call's stable id, the PBX's name and Asterisk's linkedid. A change that only
adds fields keeps version 1; renaming or removing one makes it 2.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

SCHEMA = "cti-bridge.webhook/1"
CALL_EVENTS = ("call.ringing", "call.answered", "call.transferred", "call.ended", "call.wrapup")
EVENT_TYPES = (*CALL_EVENTS, "callback.due", "contact.created")


@dataclass(frozen=True, slots=True)
class Envelope:
    event_id: str
    type: str
    ordering_key: str
    body: str


def envelope(
    event_type: str, data: dict[str, Any], ordering_key: str, call_id: str | None = None
) -> Envelope:
    """The event with a fresh id, serialised once: a retry sends the very same bytes."""
    assert event_type in EVENT_TYPES, event_type
    event_id = str(uuid.uuid4())
    document = {
        "schema": SCHEMA,
        "id": event_id,
        "type": event_type,
        "occurred_at": datetime.now(UTC).isoformat(),
        "call_id": call_id,
        "data": data,
    }
    body = json.dumps(document, ensure_ascii=False, separators=(",", ":"), default=str)
    return Envelope(event_id, event_type, ordering_key, body)


def call_id(pbx: str, linkedid: str) -> str:
    """The call's stable id: unique across PBXs (two Asterisks may reuse a linkedid)."""
    return f"{pbx}:{linkedid}"
