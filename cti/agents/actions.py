"""What an agent asks of Asterisk: join or leave a queue, pause or resume (AMI QueueAdd,
QueueRemove, QueuePause on the agent's interface). Nothing here changes the registry: the
resulting QueueMember* events do."""

from __future__ import annotations

from collections.abc import Mapping

from crm_core.errors import ConflictError, InvalidFieldError
from cti.agents.feed import ActionSender
from cti.routing.settings import TelephonySettings


class AmiUnavailableError(Exception):
    """Asterisk is not connected: the request cannot be carried out now."""


class AgentActions:
    def __init__(self, ami: ActionSender, settings: TelephonySettings) -> None:
        self.ami = ami
        self.settings = settings

    async def join(self, extension: str, queue: str, name: str) -> None:
        interface = self.settings.interface(extension)
        await self._send(
            {"Action": "QueueAdd", "Queue": queue, "Interface": interface, "MemberName": name}
        )

    async def leave(self, extension: str, queue: str) -> None:
        interface = self.settings.interface(extension)
        await self._send({"Action": "QueueRemove", "Queue": queue, "Interface": interface})

    async def pause(self, extension: str, reason: str) -> None:
        if reason not in self.settings.pause_reasons:
            allowed = ", ".join(self.settings.pause_reasons)
            raise InvalidFieldError("reason", f"not a pause reason (one of: {allowed})")
        await self._pause(extension, {"Paused": "true", "Reason": reason})

    async def resume(self, extension: str) -> None:
        await self._pause(extension, {"Paused": "false"})

    async def _pause(self, extension: str, fields: Mapping[str, str]) -> None:
        """Without a Queue header QueuePause applies to every queue the interface is in."""
        interface = self.settings.interface(extension)
        await self._send({"Action": "QueuePause", "Interface": interface, **fields})

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
        raise ConflictError(f"Asterisk refused {action['Action']}: {message}")
    return reply
