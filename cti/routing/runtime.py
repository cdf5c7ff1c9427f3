"""The telephony parts the bridge runs beside the tracker: agent state and the FastAGI server.

Started and stopped with the Bridge. A FastAGI port that cannot be bound is logged and reported
in the bridge status, not fatal: the dialplan sends every call to its queue without us.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from crm_core.services import Services
from cti.agents.actions import AgentActions
from cti.agents.click_to_call import ClickToCall
from cti.agents.feed import ActionSender, AgentFeed
from cti.agents.tracker import AgentTracker
from cti.ami.metrics import Counters
from cti.routing.agi import FastAgiServer
from cti.routing.router import RouteHandler
from cti.routing.settings import TelephonySettings
from cti.state.tracker import CallsOfAgent

log = logging.getLogger(__name__)


class TelephonyRuntime:
    def __init__(
        self, settings: TelephonySettings, services: Services, tracker: CallsOfAgent,
        ami: ActionSender, *, agi_host: str, agi_port: int, counters: Counters,
        agents: AgentTracker | None = None, queue_names: Callable[[], set[str]] = set,
    ) -> None:  # fmt: skip
        """`agents`: the agent tracker the ingest pipeline feeds (its registry is read here)."""
        self.settings = settings
        membership = agents if agents is not None else AgentTracker()
        self.agents = membership.registry
        self.feed = AgentFeed(self.agents, ami, membership)
        self.actions = AgentActions(ami, settings, self.agents.of_interface)
        self.router = RouteHandler(settings, services, tracker, self.agents)
        self.click_to_call = ClickToCall(ami, settings, tracker, services.cards)
        self.agi = FastAgiServer(
            agi_host, agi_port, {"route": self.router},
            deadline=settings.agi_deadline, counters=counters,
        )  # fmt: skip
        self.agi_state = "off"
        # the queues configured or reported by Asterisk (the stats' view, given by the Bridge);
        # the composition root tells the shared routing service about known_queues
        self.queue_names = queue_names

    def known_queues(self) -> set[str]:
        """Queues a routing rule may name: those configured or reported by Asterisk, and any
        Asterisk reports members of."""
        live = {member.queue for member in self.agents.members()}
        return live | self.queue_names() | {self.settings.route_default_queue}

    async def start(self) -> None:
        if not self.settings.agi_enabled:
            return
        try:
            await self.agi.start()
        except OSError as exc:
            self.agi_state = f"unavailable: {exc}"
            log.error("FastAGI %s:%s not served: %s", self.agi.host, self.agi.port, exc)
            return
        self.agi_state = f"{self.agi.host}:{self.agi.bound_port}"
        log.info("FastAGI serving on %s", self.agi_state)

    async def stop(self) -> None:
        await self.agi.stop()
        await self.feed.stop()
        self.agi_state = "off"
