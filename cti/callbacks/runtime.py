"""The agent page's live parts beside the ingest: the call-back scheduler (with auto-dial) and
the agent-state push. Started and stopped with the Bridge."""

from __future__ import annotations

from crm_core.services import Services
from cti.agents.state_push import AgentStatePush
from cti.agents.state_view import AgentStates
from cti.bus.base import Bus
from cti.callbacks.autodial import AutoDialer
from cti.callbacks.scheduler import CallbackScheduler
from cti.routing.runtime import TelephonyRuntime
from cti.settings import BridgeSettings
from cti.stats.runtime import StatsRuntime


class AgentPageRuntime:
    def __init__(
        self, settings: BridgeSettings, services: Services, bus: Bus,
        telephony: TelephonyRuntime, stats: StatsRuntime,
    ) -> None:  # fmt: skip
        def wrapup_of(extension: str) -> float:
            agent = stats.stats.agents.get(extension)
            return agent.wrapup_until if agent is not None else 0.0

        self.states = AgentStates(
            telephony.settings, telephony.agents, telephony.router.tracker, wrapup_of,
            lambda: list(stats.stats.live),
        )  # fmt: skip
        self.push = AgentStatePush(self.states, bus)
        due = services.due_callbacks
        self.scheduler = CallbackScheduler(due, bus, None, settings.callback_poll_seconds)
        if settings.callback_auto_dial:
            self.scheduler.dialer = AutoDialer(
                due, telephony.click_to_call, self.states.is_free, self.scheduler.publish
            )

    def start(self) -> None:
        self.push.start()
        self.scheduler.start()

    async def stop(self) -> None:
        await self.scheduler.stop()
        await self.push.stop()
