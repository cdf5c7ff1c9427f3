"""Keyword alerts for supervisors: a call whose transcript said a rule's keyword, published on
the bus's alerts topic, which `/ws/supervisor` forwards as a `keyword_alert` frame."""

from __future__ import annotations

from collections.abc import Sequence

from crm_core.services.dto import CallOut
from crm_core.services.dto.transcripts import FlagOut
from cti.bus.base import SUPERVISOR_ALERTS_TOPIC, Bus, Message


def keyword_alert(call: CallOut, flags: Sequence[FlagOut]) -> Message:
    return {
        "type": "keyword_alert",
        "call_id": call.id,
        "caller": call.caller,
        "agent": call.answered_by,
        "queue": call.queue,
        "contact_id": call.contact_id,
        "keywords": sorted({flag.keyword for flag in flags}),
        "flags": [flag.model_dump(mode="json") for flag in flags],
    }


class SupervisorAlerts:
    def __init__(self, bus: Bus) -> None:
        self._bus = bus

    async def __call__(self, call: CallOut, flags: Sequence[FlagOut]) -> None:
        await self._bus.publish(SUPERVISOR_ALERTS_TOPIC, keyword_alert(call, flags))
