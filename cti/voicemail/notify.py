"""A new voicemail message tells its call-back's assignee at once: a `callback_due` frame on
/ws/agent (the page's call-back notice, with one-click dialling) carrying the message."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from crm_core.services.dto.voicemails import VoicemailOut
from crm_core.services.due_callbacks import DueCallbacks
from cti.bus.base import Bus, agent_topic
from cti.callbacks.autodial import message

FRESH = timedelta(hours=1)  # older messages (a first pass over a full spool) notify nobody


class VoicemailNotifier:
    def __init__(self, due: DueCallbacks, bus: Bus) -> None:
        self._due = due
        self._bus = bus
        self.sent = 0

    async def __call__(self, voicemail: VoicemailOut) -> None:
        if voicemail.task_id is None or voicemail.received_at < datetime.now(UTC) - FRESH:
            return
        callback = await self._due.of_task(voicemail.task_id)
        if callback is None:
            return
        body = message("callback_due", callback, voicemail=voicemail.model_dump(mode="json"))
        for extension in callback.extensions:
            await self._bus.publish(agent_topic(extension), body)
            self.sent += 1
