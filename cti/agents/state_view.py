"""One agent's state as the page shows it: queues and pause (as Asterisk reported them), whether
the phone is on a call, and the end of the automatic wrap-up after the last queue call."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel, ConfigDict

from cti.agents.registry import AgentRegistry, Member
from cti.routing.settings import TelephonySettings
from cti.state.tracker import CallsOfAgent


class QueueState(BaseModel):
    queue: str
    paused: bool
    pause_reason: str
    status: str
    membership: str


class AgentState(BaseModel):
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)
    """Always sent whole: every field is required in the OpenAPI answer (the page's types)."""

    extension: str
    interface: str
    queues: list[QueueState]
    on_call: bool
    ringing: bool = False
    pause_reasons: list[str]
    # the queues Asterisk reports, for the page's "log in to" choices
    available_queues: list[str] = []
    # epoch seconds; after a queue call Asterisk rings nobody until then (queues.conf wrapuptime)
    wrapup_until: float = 0.0

    @property
    def free(self) -> bool:
        """Logged in to a queue, not paused, not on a call (wrap-up is judged by the caller)."""
        busy = self.on_call or self.ringing or any(q.paused for q in self.queues)
        return bool(self.queues) and not busy


WrapupOf = Callable[[str], float]
QueuesKnown = Callable[[], list[str]]


class AgentStates:
    """Builds AgentState from the bridge's live parts (never from a request sent)."""

    def __init__(
        self, settings: TelephonySettings, registry: AgentRegistry, calls: CallsOfAgent,
        wrapup_of: WrapupOf = lambda _extension: 0.0, queues: QueuesKnown = list,
    ) -> None:  # fmt: skip
        self.settings, self.registry, self.calls = settings, registry, calls
        self.wrapup_of, self.queues = wrapup_of, queues

    def of(self, extension: str) -> AgentState:
        interface = self.settings.interface(extension)
        busy = self.calls.agent_calls(extension)
        return AgentState(
            extension=extension, interface=interface,
            queues=[queue_state(m) for m in self.registry.of_interface(interface)],
            on_call=bool(busy.active), ringing=bool(busy.ringing),
            pause_reasons=list(self.settings.pause_reasons),
            wrapup_until=self.wrapup_of(extension),
            available_queues=sorted({*self.queues(), *(m.queue for m in self.registry.members())}),
        )  # fmt: skip

    def is_free(self, extension: str, now: float) -> bool:
        state = self.of(extension)
        return state.free and state.wrapup_until <= now


def queue_state(member: Member) -> QueueState:
    return QueueState(
        queue=member.queue, paused=member.paused, pause_reason=member.pause_reason,
        status=member.status, membership=member.membership,
    )  # fmt: skip
