"""The `route` AGI script: where this call goes, from the stored rules (cti.routing.policy), the
CRM (who the caller is) and the bridge's own live state (queue membership and pause from the
agent registry, busy from the tracker). Whatever goes wrong, the answer is the queue and a reason
saying why; when the bridge cannot answer at all, the dialplan's fallback does the same."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime

from crm_core.phones import normalise_phone
from crm_core.services import Services
from crm_core.services.routing_caller import CallerProfile
from cti.agents.registry import AgentRegistry
from cti.lookup.external import ExternalLookup
from cti.routing.agi import AgiRequest
from cti.routing.cache import RuleCache
from cti.routing.hours import after_hours_reason, closed_because
from cti.routing.owners import OwnerDirectory
from cti.routing.policy import Policy
from cti.routing.rules import CallerInfo, Decision, ExtensionState, decide
from cti.routing.settings import TelephonySettings
from cti.state.tracker import CallsOfAgent

log = logging.getLogger(__name__)

PACKED_ANSWER = "packed"


def _now() -> datetime:
    return datetime.now(UTC)


class RouteHandler:
    def __init__(
        self, settings: TelephonySettings, services: Services, tracker: CallsOfAgent,
        agents: AgentRegistry, clock: Callable[[], datetime] = _now,
    ) -> None:  # fmt: skip
        self.settings = settings
        self.services = services
        self.tracker = tracker
        self.agents = agents
        self.clock = clock
        self.rules = RuleCache(services.routing, settings.route_rules_refresh)
        self.owners = OwnerDirectory(services.users, settings.route_owner_cache_seconds)
        self.external: ExternalLookup | None = None

    def use_external(self, lookup: ExternalLookup) -> None:
        """Ask the other CRM (cti.lookup) for the owner of a caller the local CRM gives none."""
        self.external = lookup if lookup.enabled else None

    async def __call__(self, request: AgiRequest) -> dict[str, str]:
        decision = await self.decide(request)
        # [cti-route] asks for the answer in one variable (one round trip); a dialplan without
        # that 4th argument reads the CTI_ROUTE_* variables, one SET VARIABLE each
        return decision.packed() if request.arg(4) == PACKED_ANSWER else decision.variables()

    async def decide(self, request: AgiRequest) -> Decision:
        # [cti-route] calls AGI(${CTI_AGI},${CTI_QUEUE},${CALLERID(num)},${CTI_DID},packed)
        queue = request.arg(1) or self.settings.route_default_queue
        try:
            async with asyncio.timeout(self.settings.route_lookup_budget):
                return await self._decide(request)
        except TimeoutError:
            return Decision(queue, f"CRM lookup too slow -> queue {queue}")
        except Exception:
            log.exception("routing of %s failed", request.arg(2))
            return Decision(queue, f"CRM lookup failed -> queue {queue}")

    async def _decide(self, request: AgiRequest) -> Decision:
        policy = await self.rules.get()
        did = request.arg(3) or request.get("agi_dnid")
        queue = policy.queue_for(did, request.arg(1), self.settings.route_default_queue)
        hours = policy.hours.get(queue)
        if hours is not None and (why := closed_because(hours, self.clock())) is not None:
            after = (hours.after_hours.action, hours.after_hours.target)
            return Decision(queue, after_hours_reason(hours, why), after_hours=after)
        number = request.arg(2) or request.get("agi_callerid")
        profile = await self.services.routing.caller(number)
        decision = await self._owner_first(policy, queue, profile, number)
        return self._prioritise(policy, decision, profile)

    async def _owner_first(
        self, policy: Policy, queue: str, profile: CallerProfile, number: str
    ) -> Decision:
        if policy.owner_ring is None:
            return Decision(queue, f"owner-first routing off -> queue {queue}")
        info = await self.caller_info(profile)
        if info.owner is None and self.external is not None:
            info = await self._external_owner(number) or info
        return decide(queue, info, policy.owner_ring)

    async def _external_owner(self, number: str) -> CallerInfo | None:
        assert self.external is not None
        e164 = normalise_phone(number, self.services.routing.region).e164
        card = None if e164 is None else await self.external.card(e164)
        if card is None or not card.owner_extension:
            return None
        owner = f"ext {card.owner_extension} (from the other CRM)"
        return CallerInfo(True, owner, (self.extension_state(card.owner_extension),))

    def _prioritise(self, policy: Policy, decision: Decision, profile: CallerProfile) -> Decision:
        rule = policy.priority_for(decision.queue, profile)
        if rule is None:
            return decision
        return decision.prioritised(rule.priority, rule.label or rule.value)

    async def caller_info(self, profile: CallerProfile) -> CallerInfo:
        if not profile.known:
            return CallerInfo(known=False)
        if profile.owner_id is None:
            return CallerInfo(known=True)
        owner = await self.owners.get(profile.owner_id)
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
