"""The telephony a REST route asks for, whichever process holds the AMI session."""

from __future__ import annotations

from typing import Protocol

from crm_core.errors import UnavailableError
from crm_core.services.dto import Actor
from cti.agents.actions import AmiUnavailableError
from cti.agents.click_to_call import Originated
from cti.agents.spy import Spy, SpyMode
from cti.agents.state_view import AgentState, AgentStates
from cti.routing.runtime import TelephonyRuntime


class Telephony(Protocol):
    async def state(self, extension: str) -> AgentState: ...

    async def join(self, extension: str, queue: str, name: str) -> None: ...

    async def leave(self, extension: str, queue: str) -> None: ...

    async def pause(self, extension: str, reason: str) -> None: ...

    async def resume(self, extension: str) -> None: ...

    async def dial(self, extension: str, number: str) -> Originated: ...

    async def spy(self, actor: Actor, supervisor_ext: str, agent_ext: str, mode: SpyMode) -> str:
        """Returns the linkedid of the agent's call listened to."""
        ...


class LocalTelephony:
    """This process's AMI session, agent registry and tracker (the ingest's)."""

    def __init__(self, telephony: TelephonyRuntime, states: AgentStates, spy: Spy) -> None:
        self.telephony, self.states, self._spy = telephony, states, spy

    async def state(self, extension: str) -> AgentState:
        return self.states.of(extension)

    async def join(self, extension: str, queue: str, name: str) -> None:
        await _carried_out(self.telephony.actions.join(extension, queue, name))

    async def leave(self, extension: str, queue: str) -> None:
        await _carried_out(self.telephony.actions.leave(extension, queue))

    async def pause(self, extension: str, reason: str) -> None:
        await _carried_out(self.telephony.actions.pause(extension, reason))

    async def resume(self, extension: str) -> None:
        await _carried_out(self.telephony.actions.resume(extension))

    async def dial(self, extension: str, number: str) -> Originated:
        try:
            return await self.telephony.click_to_call.dial(extension, number)
        except AmiUnavailableError as exc:
            raise UnavailableError(str(exc)) from exc

    async def spy(self, actor: Actor, supervisor_ext: str, agent_ext: str, mode: SpyMode) -> str:
        calls = self.telephony.router.tracker.agent_calls(agent_ext)
        try:
            return await self._spy.start(actor, supervisor_ext, agent_ext, mode, calls)
        except AmiUnavailableError as exc:
            raise UnavailableError(str(exc)) from exc


async def _carried_out(request: object) -> None:
    try:
        await request  # type: ignore[misc]
    except AmiUnavailableError as exc:
        raise UnavailableError(str(exc)) from exc
