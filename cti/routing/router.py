"""The `route` AGI script: who should ring first for this caller, asked of the CRM and of the
bridge's own live state (queue membership and pause from the agent registry, busy from the
tracker). Whatever goes wrong, the answer is the DID's queue and a reason saying why."""

from __future__ import annotations

import asyncio
import logging
from typing import Protocol

from crm_core.services import Services
from cti.agents.registry import AgentRegistry
from cti.routing.agi import AgiRequest
from cti.routing.owners import OwnerDirectory
from cti.routing.rules import CallerInfo, Decision, ExtensionState, decide
from cti.routing.settings import TelephonySettings
from cti.state.tracker import AgentCalls

log = logging.getLogger(__name__)


class CallsOfAgent(Protocol):
    def agent_calls(self, agent: str) -> AgentCalls: ...


class RouteHandler:
    def __init__(
        self, settings: TelephonySettings, services: Services, tracker: CallsOfAgent,
        agents: AgentRegistry,
    ) -> None:  # fmt: skip
        self.settings = settings
        self.services = services
        self.tracker = tracker
        self.agents = agents
        self.owners = OwnerDirectory(services.users, settings.route_owner_cache_seconds)

    async def __call__(self, request: AgiRequest) -> dict[str, str]:
        return (await self.decide(request)).variables()

    async def decide(self, request: AgiRequest) -> Decision:
        # [cti-route] calls AGI(${CTI_AGI},${CTI_QUEUE},${CALLERID(num)})
        queue = request.arg(1) or self.settings.queue_for(request.get("agi_dnid"))
        if not self.settings.route_owner_first:
            return Decision(queue, f"owner-first routing off -> queue {queue}")
        number = request.arg(2) or request.get("agi_callerid")
        try:
            async with asyncio.timeout(self.settings.route_lookup_budget):
                caller = await self.caller_info(number)
        except TimeoutError:
            return Decision(queue, f"CRM lookup too slow -> queue {queue}")
        except Exception:
            log.exception("routing lookup of %s failed", number)
            return Decision(queue, f"CRM lookup failed -> queue {queue}")
        return decide(queue, caller, self.settings.route_ring_seconds)

    async def caller_info(self, number: str) -> CallerInfo:
        card = await self.services.cards.owner_of(number)
        if not card.known:
            return CallerInfo(known=False)
        if card.owner_id is None:
            return CallerInfo(known=True)
        owner = await self.owners.get(card.owner_id)
        states = tuple(self.extension_state(ext) for ext in owner.extensions)
        return CallerInfo(True, owner.name, states)

    def extension_state(self, extension: str) -> ExtensionState:
        interface = self.settings.interface(extension)
        members = [m for m in self.agents.of_interface(interface) if m.reachable]
        paused = [m for m in members if m.paused]
        calls = self.tracker.agent_calls(extension)
        return ExtensionState(
            extension,
            logged_in=bool(members),
            paused=bool(members) and len(paused) == len(members),
            pause_reason=paused[0].pause_reason if paused else "",
            busy=bool(calls.ringing or calls.active),
        )
