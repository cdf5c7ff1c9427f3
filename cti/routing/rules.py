"""The routing decision, a pure function of what is known about the caller and the owner.

Owner first: a known client whose owner has an extension that is logged in (a member of a
queue), not paused and not on a call rings that extension first for `ring_seconds`, then the
queue; otherwise the call goes to the queue. A priority or the queue being closed (business
hours) is added by the router (cti.routing.policy decides which rule applies).
The reason is a sentence for people: it lands on the call record as `routing_reason`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True, slots=True)
class ExtensionState:
    extension: str
    logged_in: bool
    paused: bool = False
    pause_reason: str = ""
    busy: bool = False

    @property
    def free(self) -> bool:
        return self.logged_in and not self.paused and not self.busy


@dataclass(frozen=True, slots=True)
class CallerInfo:
    """known: the number belongs to a card. owner: the card owner's name, None without one."""

    known: bool
    owner: str | None = None
    extensions: tuple[ExtensionState, ...] = field(default_factory=tuple)


PACKED_VARIABLE = "CTI_ROUTE"
PACKED_SEPARATOR = "|"


@dataclass(frozen=True, slots=True)
class Decision:
    queue: str
    reason: str
    target: str | None = None
    ring_seconds: int | None = None
    priority: int | None = None
    after_hours: tuple[str, str] | None = None  # ("voicemail", "100@default"), ("message", ...)

    def variables(self) -> dict[str, str]:
        """The CTI_ROUTE_* variables, one SET VARIABLE each (for a dialplan without `packed`)."""
        found = {"CTI_ROUTE_QUEUE": self.queue, "CTI_ROUTE_REASON": self.reason}
        if self.target is not None:
            found["CTI_ROUTE_TARGET"] = self.target
            found["CTI_ROUTE_RING"] = str(self.ring_seconds)
        if self.priority is not None:
            found["CTI_ROUTE_PRIO"] = str(self.priority)
        if self.after_hours is not None:
            found["CTI_ROUTE_AFTER"], found["CTI_ROUTE_DEST"] = self.after_hours
        return found

    def packed(self) -> dict[str, str]:
        """The whole answer in one variable, one AGI round trip: [cti-route] splits CTI_ROUTE
        (QUEUE|TARGET|RING|PRIO|AFTER|DEST|REASON) into the CTI_ROUTE_* variables. The reason is
        last: what six SHIFT(CTI_ROUTE,|) leave, `|` and all; the other fields never hold one."""
        after, dest = self.after_hours or ("", "")
        fields = (self.queue, self.target, self.ring_seconds, self.priority, after, dest)
        texts = ["" if value is None else str(value) for value in fields]
        if any(PACKED_SEPARATOR in text for text in texts):
            raise ValueError(f"a routing field holds {PACKED_SEPARATOR!r}: {texts}")
        return {PACKED_VARIABLE: PACKED_SEPARATOR.join([*texts, self.reason])}

    def prioritised(self, priority: int, label: str) -> Decision:
        reason = f"{self.reason}; {label} -> priority {priority} in queue {self.queue}"
        return replace(self, priority=priority, reason=reason)


def decide(queue: str, caller: CallerInfo, ring_seconds: int) -> Decision:
    to_queue = f"queue {queue}"
    if not caller.known:
        return Decision(queue, f"unknown caller -> {to_queue}")
    if caller.owner is None:
        return Decision(queue, f"client without owner -> {to_queue}")
    free = next((state for state in caller.extensions if state.free), None)
    if free is not None:
        ring = f"ring {free.extension} for {ring_seconds} s, then {to_queue}"
        reason = f"owner {caller.owner} free -> {ring}"
        return Decision(queue, reason, free.extension, ring_seconds)
    return Decision(queue, f"owner {caller.owner} {_why_not(caller.extensions)} -> {to_queue}")


def _why_not(extensions: tuple[ExtensionState, ...]) -> str:
    if not extensions:
        return "has no extension"
    if any(state.logged_in and not state.paused for state in extensions):
        return "busy"
    paused = next((state for state in extensions if state.paused), None)
    if paused is not None:
        return f"paused ({paused.pause_reason})" if paused.pause_reason else "paused"
    return "not logged in"
