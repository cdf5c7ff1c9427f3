"""panoramisk's Manager, with its own reconnect and ping loops switched off: AmiClient owns them.

panoramisk 1.4 reconnects every 2 s forever, never checks Pong, and re-sends pending actions
after a reconnect (an Originate could ring twice). Here a lost connection only fails pending
actions and tells the owner.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from panoramisk import Manager

log = logging.getLogger(__name__)


class SupervisedManager(Manager):  # type: ignore[misc]
    def __init__(self, on_lost: Callable[[Exception | None], None], **config: Any) -> None:
        super().__init__(**config)
        self._on_lost = on_lost
        # panoramisk's FullyBooted hook re-sends queued actions from a fire-and-forget coroutine.
        self.callbacks["FullyBooted"].clear()

    def connection_made(self, future: asyncio.Future[Any]) -> None:
        if future.cancelled() or future.exception() is not None:
            return  # the owner's connect loop sees the failure and backs off
        super().connection_made(future)

    def ping(self) -> None:
        """Disabled: AmiClient pings and checks the answers."""

    def connection_lost(self, exc: Exception | None) -> None:
        self._connected = False
        pinger, self.pinger = getattr(self, "pinger", None), None
        if pinger is not None:
            pinger.cancel()
        self._fail_pending()
        self._on_lost(exc)

    def _fail_pending(self) -> None:
        while self.awaiting_actions:
            action = self.awaiting_actions.popleft()
            if not action.future.done():
                action.future.set_exception(ConnectionError("AMI connection lost"))
