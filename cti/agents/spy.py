"""Listen, whisper, barge: ring the supervisor's own phone into the dialplan's spy-* context
(ChanSpy on the agent's device). Every use is written to the audit log."""

from __future__ import annotations

from typing import Literal

from crm_core.errors import ConflictError
from crm_core.models.enums import AuditAction
from crm_core.services.audit import AuditService
from crm_core.services.dto import Actor
from cti.agents.actions import send_checked
from cti.agents.click_to_call import OFFLINE_STATES
from cti.agents.feed import ActionSender
from cti.routing.settings import TelephonySettings
from cti.state.tracker import AgentCalls

SpyMode = Literal["listen", "whisper", "barge"]
SUPERVISOR_ANSWER_TIMEOUT_MS = "30000"


class Spy:
    def __init__(self, ami: ActionSender, settings: TelephonySettings, audit: AuditService) -> None:
        self.ami, self.settings, self.audit = ami, settings, audit

    async def start(
        self, actor: Actor, supervisor_ext: str, agent_ext: str, mode: SpyMode,
        agent_calls: AgentCalls,
    ) -> str:  # fmt: skip
        """Returns the linkedid of the agent's call being spied on."""
        if not agent_calls.active:
            raise ConflictError(
                f"extension {agent_ext} is not on a call now",
                code="agent_not_on_call",
                params={"extension": agent_ext},
            )
        linkedid = agent_calls.active[0]
        await self._require_online(supervisor_ext)
        await self._originate(supervisor_ext, agent_ext, mode)
        changes = {"mode": mode, "agent": agent_ext, "call": linkedid, "from": supervisor_ext}
        await self.audit.log(actor, AuditAction.SPY, "calls", 0, changes)
        return linkedid

    async def _require_online(self, extension: str) -> None:
        """An Originate to an unregistered phone is accepted, then fails silently: ask first."""
        interface = self.settings.interface(extension)
        reply = await send_checked(
            self.ami, {"Action": "Getvar", "Variable": f"DEVICE_STATE({interface})"}
        )
        state = reply.get("Value", "UNKNOWN")
        if state in OFFLINE_STATES:
            raise ConflictError(
                f"your phone (extension {extension}) is offline ({state}): it must be registered "
                "to ring",
                code="own_phone_offline",
                params={"extension": extension},
            )

    async def _originate(self, supervisor_ext: str, agent_ext: str, mode: SpyMode) -> None:
        action = {
            "Action": "Originate",
            "Channel": self.settings.interface(supervisor_ext),
            "Context": f"spy-{mode}",
            "Exten": agent_ext,
            "Priority": "1",
            "CallerID": f'"{mode}: {agent_ext}" <{agent_ext}>',
            "Timeout": SUPERVISOR_ANSWER_TIMEOUT_MS,
            "Async": "true",
        }
        await send_checked(self.ami, action)
