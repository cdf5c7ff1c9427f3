"""The tracker's output: immutable call records and the call events that carry them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Direction = Literal["inbound", "outbound", "internal"]
Disposition = Literal["answered", "missed", "abandoned", "busy", "failed", "callback_requested"]
TransferKind = Literal[
    "blind", "attended", "blonde", "pickup", "forward", "park", "retrieve", "conference"
]
LOST_IN_GAP = "ended while the bridge was not listening; end time is when it noticed"
SETTLED_FROM_LOG = "settled from the PBX's event log (CEL) after a gap"
FIRST_SEEN_AT_RESYNC = "first seen after a gap: who rang before then is unknown"


@dataclass(frozen=True, slots=True)
class Transfer:
    kind: TransferKind
    from_agent: str | None
    to: str | None
    at: float

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "from": self.from_agent, "to": self.to, "at": self.at}


@dataclass(frozen=True, slots=True)
class CallRecord:
    """One business call. While active, disposition/ended_at/talk_seconds are None."""

    linkedid: str
    direction: Direction
    caller: str
    caller_name: str
    callee: str
    did: str | None
    queue: str | None
    agents_rang: tuple[str, ...]
    answered_by: str | None
    disposition: Disposition | None
    started_at: float
    answered_at: float | None
    ended_at: float | None
    wait_seconds: float | None
    talk_seconds: float | None
    transfers: tuple[Transfer, ...]
    recording: str | None
    route_reason: str | None
    note: str | None = None
    reconstructed: bool = False
    queued_at: float | None = None
    callback_of: str | None = None

    def as_dict(self) -> dict[str, object]:
        fields = {name: getattr(self, name) for name in self.__slots__}
        fields["agents_rang"] = list(self.agents_rang)
        fields["transfers"] = [transfer.as_dict() for transfer in self.transfers]
        return fields


@dataclass(frozen=True, slots=True)
class CallStarted:
    call: CallRecord


@dataclass(frozen=True, slots=True)
class CallRinging:
    """The agents whose phones ring for this call now (empty: ringing stopped)."""

    call: CallRecord
    agents: tuple[str, ...]
    at: float


@dataclass(frozen=True, slots=True)
class CallAnswered:
    call: CallRecord
    at: float


@dataclass(frozen=True, slots=True)
class CallTransferred:
    call: CallRecord
    transfer: Transfer


@dataclass(frozen=True, slots=True)
class CallEnded:
    call: CallRecord


CallEvent = CallStarted | CallRinging | CallAnswered | CallTransferred | CallEnded
