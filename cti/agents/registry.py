"""Who is a member of which queue, paused or not: built only from what Asterisk reports.

Fed by QueueMemberAdded/Removed/Pause/Status events and, after every (re)connect, replaced by the
QueueMember list of a QueueStatus action. Requests the bridge sends (QueueAdd, QueuePause) change
nothing here until Asterisk confirms them with an event.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from cti.state.events import AmiEvent

MEMBER_EVENTS = frozenset(
    {"QueueMemberAdded", "QueueMemberPause", "QueueMemberStatus", "QueueMember"}
)
REMOVED = "QueueMemberRemoved"
# Asterisk's device states (QueueMember Status) in which a member cannot be rung at all.
UNREACHABLE = frozenset({"4", "5"})  # invalid, unavailable (phone not registered)


@dataclass(frozen=True, slots=True)
class Member:
    queue: str
    interface: str
    name: str = ""
    paused: bool = False
    pause_reason: str = ""
    status: str = "0"
    membership: str = "dynamic"
    # The device whose state Asterisk follows: for `Local/1001@agents/n` (how FreePBX and
    # most GUIs add members) that is PJSIP/1001, the phone the agent is known by.
    state_interface: str = ""

    @property
    def reachable(self) -> bool:
        return self.status not in UNREACHABLE

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> Member:
        paused = headers.get("Paused", "0") == "1"
        reason = headers.get("PausedReason") or headers.get("Reason", "")
        return cls(
            queue=headers.get("Queue", ""),
            interface=headers.get("Interface") or headers.get("Location", ""),
            name=headers.get("MemberName") or headers.get("Name", ""),
            paused=paused,
            pause_reason=reason if paused else "",
            status=headers.get("Status", "0"),
            membership=headers.get("Membership", "dynamic"),
            state_interface=headers.get("StateInterface", ""),
        )


class AgentRegistry:
    def __init__(self) -> None:
        self._members: dict[tuple[str, str], Member] = {}
        self.version = 0

    def apply(self, event: AmiEvent) -> bool:
        """Update from one AMI event; True when it was a queue member event."""
        if event.name in MEMBER_EVENTS:
            self._put(Member.from_headers(event.headers))
        elif event.name == REMOVED:
            key = (event.get("Queue"), event.get("Interface"))
            self._members.pop(key, None)
        else:
            return False
        self.version += 1
        return True

    def replace(self, members: Iterable[Member]) -> None:
        self._members = {}
        for member in members:
            self._put(member)
        self.version += 1

    def of_interface(self, interface: str) -> list[Member]:
        """Memberships of this device: as the member's interface or as the state interface
        of a Local channel member."""
        lowered = interface.lower()
        found = (
            m for m in self._members.values()
            if lowered in (m.interface.lower(), m.state_interface.lower())
        )  # fmt: skip
        return sorted(found, key=lambda member: member.queue)

    def members(self) -> list[Member]:
        return sorted(self._members.values(), key=lambda m: (m.queue, m.interface))

    def _put(self, member: Member) -> None:
        if member.queue and member.interface:
            self._members[(member.queue, member.interface)] = member
