"""What an agent asks of Asterisk: join or leave a queue, pause or resume (AMI QueueAdd,
QueueRemove, QueuePause on the agent's interface). Nothing here changes the registry: the
resulting QueueMember* events do.

A member added as a Local channel (`Local/1001@agents/n`, as FreePBX does) is known to Asterisk
by that interface only: leaving or pausing names it, queue by queue."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from crm_core.errors import ConflictError, InvalidFieldError
from cti.agents.feed import ActionSender
from cti.agents.registry import Member
from cti.routing.settings import TelephonySettings


class AmiUnavailableError(Exception):
    """Asterisk is not connected: the request cannot be carried out now."""


MembershipsOf = Callable[[str], list[Member]]


class AgentActions:
    def __init__(
        self, ami: ActionSender, settings: TelephonySettings,
        memberships: MembershipsOf = lambda _interface: [],
    ) -> None:  # fmt: skip
        self.ami = ami
        self.settings = settings
        self.memberships = memberships

    def _member_interfaces(self, extension: str) -> tuple[str, list[Member]]:
        """The device's interface, and its memberships under another interface (Local)."""
        interface = self.settings.interface(extension)
        device = interface.lower()
        others = [m for m in self.memberships(interface) if m.interface.lower() != device]
        return interface, others

    async def join(self, extension: str, queue: str, name: str) -> None:
        interface = self.settings.interface(extension)
        await self._send(
            {"Action": "QueueAdd", "Queue": queue, "Interface": interface, "MemberName": name}
        )

    async def leave(self, extension: str, queue: str) -> None:
        interface, others = self._member_interfaces(extension)
        local = [m.interface for m in others if m.queue == queue]
        await self._send(
            {"Action": "QueueRemove", "Queue": queue, "Interface": local[0] if local else interface}
        )

    async def pause(self, extension: str, reason: str) -> None:
        if reason not in self.settings.pause_reasons:
            allowed = ", ".join(self.settings.pause_reasons)
            raise InvalidFieldError(
                "reason",
                f"not a pause reason (one of: {allowed})",
                code="unknown_pause_reason",
                params={"allowed": allowed},
            )
        await self._pause(extension, {"Paused": "true", "Reason": reason})

    async def resume(self, extension: str) -> None:
        await self._pause(extension, {"Paused": "false"})

    async def _pause(self, extension: str, fields: Mapping[str, str]) -> None:
        """Without a Queue header QueuePause applies to every queue the interface is in; a
        Local membership is paused in its own queue."""
        interface, others = self._member_interfaces(extension)
        memberships = self.memberships(interface)
        if not memberships or len(memberships) > len(others):  # a membership as the device
            await self._send({"Action": "QueuePause", "Interface": interface, **fields})
        for member in others:
            action = {"Action": "QueuePause", "Queue": member.queue, "Interface": member.interface}
            await self._send({**action, **fields})

    async def _send(self, action: Mapping[str, str]) -> None:
        await send_checked(self.ami, action)


async def send_checked(ami: ActionSender, action: Mapping[str, str]) -> dict[str, str]:
    """Send one AMI action and return its reply; AmiUnavailableError when Asterisk is not
    connected, ConflictError (naming Asterisk's reason) when it refuses."""
    try:
        replies = await ami.send_action(action, as_list=False)
    except (ConnectionError, TimeoutError) as exc:
        raise AmiUnavailableError(f"Asterisk is not reachable: {exc}") from exc
    reply = replies[0] if replies else {}
    if reply.get("Response") != "Success":
        message = reply.get("Message") or "no answer"
        raise ConflictError(
            f"Asterisk refused {action['Action']}: {message}",
            code="pbx_refused",
            params={"message": message},
        )
    return reply
