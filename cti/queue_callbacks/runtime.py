"""The queue call-back dialler wired to the running bridge: the queue's callers on the line
(the stats' live view), its free members (the agent registry and live state), the tracker's
open call-back calls; the kept places go into the supervisors' snapshot."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from crm_core.services import Services
from cti.agents.feed import ActionSender
from cti.agents.state_view import AgentStates
from cti.queue_callbacks.dialler import QueueCallbackDialler, QueueFacts, Views
from cti.routing.runtime import TelephonyRuntime
from cti.settings import BridgeSettings
from cti.state.tracker import Tracker
from cti.stats.agents import extension_of
from cti.stats.runtime import StatsRuntime


def build_dialler(
    settings: BridgeSettings, services: Services, telephony: TelephonyRuntime,
    stats: StatsRuntime, states: AgentStates, tracker: Tracker, ami: ActionSender,
) -> QueueCallbackDialler:  # fmt: skip
    def real_joins() -> Mapping[str, Sequence[float]]:
        live = stats.stats.live
        return {queue: [w.joined_at for w in q.waiting.values()] for queue, q in live.items()}

    def free_members(queue: str, now: float) -> list[str]:
        members = (m for m in telephony.agents.members() if m.queue == queue)
        extensions = sorted({extension_of(m.state_interface or m.interface) for m in members})
        return [e for e in extensions if states.is_free(e, now)]

    def publish(views: Views) -> None:
        if views != stats.stats.virtual:
            stats.stats.virtual = views
            stats.publisher.mark_changed()

    facts = QueueFacts(
        real_joins=real_joins, free_members=free_members,
        callback_calls=tracker.callback_calls, recently_ended=tracker.recently_ended,
        interface=telephony.settings.interface,
    )  # fmt: skip
    return QueueCallbackDialler(
        services.queue_callbacks, ami, facts, publish,
        settings.queue_callback_poll_seconds,
        agent_ring_seconds=settings.queue_callback_agent_ring_seconds,
        pbx=settings.pbx or "default",
    )  # fmt: skip
