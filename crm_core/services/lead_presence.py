"""Who is away, as crm_core knows it: the bridge records every queue login, logout, pause and
resume into `agent_events` (AgentEventService); a rep's state in a queue is its last event there.
crm_core never asks the bridge."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.models import AgentEvent, UserExtension

QueueState = Literal["ready", "paused", "logged out"]


@dataclass
class Presence:
    """user id -> queue -> state."""

    states: dict[int, dict[str, QueueState]] = field(default_factory=dict)

    def queue_members(self, queue: str) -> set[int]:
        return {user for user, queues in self.states.items() if queue in queues}

    def away_in(self, user_id: int, queue: str | None) -> QueueState | None:
        """Why `user_id` is away (in `queue`, or in every queue when None); None: ready."""
        queues = self.states.get(user_id, {})
        if queue is not None:
            state = queues.get(queue, "logged out")
            return None if state == "ready" else state
        if "ready" in queues.values():
            return None
        return "paused" if "paused" in queues.values() else "logged out"


async def read_presence(session: AsyncSession) -> Presence:
    last = select(func.max(AgentEvent.id)).group_by(AgentEvent.extension, AgentEvent.queue)
    rows = await session.execute(
        select(UserExtension.user_id, AgentEvent.queue, AgentEvent.kind)
        .join(UserExtension, UserExtension.extension == AgentEvent.extension)
        .where(AgentEvent.id.in_(last))
    )
    presence = Presence()
    for user_id, queue, kind in rows:
        state: QueueState = (
            "logged out" if kind == "logout" else "paused" if kind == "pause" else "ready"
        )
        queues = presence.states.setdefault(user_id, {})
        if queues.get(queue) != "ready":  # two extensions of one rep: ready wins
            queues[queue] = state
    return presence
