"""Pushes each agent's state to their pages (/ws/agent `agent_state`) whenever it changes, who
ever changed it: the page, a phone's feature code, the CLI or another AMI client. It compares
snapshots on a short timer instead of hooking the AMI reader, so it can never slow it down.
Each state is also retained on the bus, so a web process elsewhere answers GET .../state."""

from __future__ import annotations

from typing import Any

from cti.agents.state_view import AgentStates
from cti.bus.base import Bus, Retain, agent_state_key, agent_topic
from cti.periodic import Periodic

PUSH_INTERVAL = 0.25


class AgentStatePush(Periodic):
    task_name = "agent-state-push"

    def __init__(self, states: AgentStates, bus: Bus, interval: float = PUSH_INTERVAL) -> None:
        self.states, self.bus, self.interval = states, bus, interval
        self._last: dict[str, dict[str, Any]] = {}
        prefix, _, suffix = states.settings.agent_interface.partition("{extension}")
        self._prefix, self._suffix = prefix.lower(), suffix.lower()

    def extension_of(self, interface: str) -> str | None:
        lowered = interface.lower()
        if not (lowered.startswith(self._prefix) and lowered.endswith(self._suffix)):
            return None
        return interface[len(self._prefix) : len(interface) - len(self._suffix)] or None

    async def tick(self) -> int:
        """Publish the states that changed since the last tick; returns how many."""
        members = self.states.registry.members()
        extensions = {self.extension_of(m.interface) for m in members} | set(self._last)
        extensions |= self.states.calls.agents_on_calls()  # on a call, in a queue or not
        sent = 0
        for extension in sorted(e for e in extensions if e):
            view = self.states.of(extension).model_dump(mode="json")
            if self._last.get(extension) != view:
                self._last[extension] = view
                message = {"type": "agent_state", **view}
                retained = Retain(agent_state_key(extension), value=message)
                await self.bus.publish(agent_topic(extension), message, (retained,))
                sent += 1
        return sent
