"""Auto-dial: at the due time the bridge rings the agent's phone itself, through click-to-call,
when the agent is free (in a queue, not paused, not on a call, not in wrap-up). A busy agent is
told once (`callback_waiting`) and the call-back is dialled as soon as they are free; a refusal
(phone offline, Asterisk down) is said once and retried after RETRY_SECONDS."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Protocol

from crm_core.errors import DomainError
from crm_core.services.dto.callbacks import DueCallback
from crm_core.services.due_callbacks import DueCallbacks
from cti.agents.actions import AmiUnavailableError

log = logging.getLogger(__name__)
RETRY_SECONDS = 30.0
Publish = Callable[[DueCallback, dict[str, object]], Awaitable[None]]


def message(kind: str, callback: DueCallback, **extra: object) -> dict[str, object]:
    """A /ws/agent frame: callback_due | callback_waiting | callback_dialing (see the README)."""
    body = callback.model_dump(mode="json", exclude={"extensions"})
    return {"type": kind, "callback": body, **extra}


class Dialer(Protocol):
    async def dial(self, extension: str, number: str) -> object: ...


class AutoDialer:
    def __init__(
        self, due: DueCallbacks, dialer: Dialer, is_free: Callable[[str, float], bool],
        publish: Publish,
    ) -> None:  # fmt: skip
        self.due, self.dialer, self.is_free, self.publish = due, dialer, is_free, publish
        self._told: set[int] = set()
        self._retry_at: dict[int, float] = {}

    async def attempt(self, callback: DueCallback, now: datetime) -> None:
        at = now.timestamp()
        if not callback.phone or self._retry_at.get(callback.id, 0.0) > at:
            return
        extension = next((e for e in callback.extensions if self.is_free(e, at)), None)
        if extension is None:
            await self._tell_once(callback, "auto-dial waits until you are free")
            return
        if not await self.due.mark_dialed(callback.id, now, extension):
            return  # done meanwhile, or another bridge dialled it
        try:
            await self.dialer.dial(extension, callback.phone)
        except (DomainError, AmiUnavailableError) as exc:
            await self.due.release_dialed(callback.id)
            self._retry_at[callback.id] = at + RETRY_SECONDS
            log.warning("auto-dial of call-back %s failed: %s", callback.id, exc)
            await self._tell_once(callback, f"auto-dial failed: {exc}")
            return
        self._told.discard(callback.id)
        self._retry_at.pop(callback.id, None)
        await self.publish(callback, message("callback_dialing", callback, extension=extension))

    async def _tell_once(self, callback: DueCallback, reason: str) -> None:
        if callback.id not in self._told:
            self._told.add(callback.id)
            await self.publish(callback, message("callback_waiting", callback, reason=reason))
