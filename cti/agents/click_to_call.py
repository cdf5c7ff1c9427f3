"""Click-to-call: ring the agent's own phone first (showing the client's name), then, when the agent
answers, the client (AMI Originate into the `agents` context). Checked before anything rings, so
there is never a half-made call: no extension, phone offline, number not dialable, agent busy."""

from __future__ import annotations

from dataclasses import dataclass

from crm_core.errors import ConflictError, InvalidFieldError
from crm_core.phones import normalise_phone
from crm_core.services.cards import CardService
from cti.agents.actions import send_checked
from cti.agents.feed import ActionSender
from cti.routing.settings import TelephonySettings
from cti.state.tracker import CallsOfAgent

# Asterisk's DEVICE_STATE() values of a phone that cannot take a call now.
OFFLINE_STATES = frozenset({"UNAVAILABLE", "INVALID", "UNKNOWN"})
ORIGINATE_CONTEXT = "agents"
AGENT_ANSWER_TIMEOUT_MS = "30000"


@dataclass(frozen=True)
class Originated:
    extension: str
    number: str
    display_name: str


class ClickToCall:
    def __init__(
        self, ami: ActionSender, settings: TelephonySettings, calls: CallsOfAgent,
        cards: CardService,
    ) -> None:  # fmt: skip
        self.ami, self.settings, self.calls, self.cards = ami, settings, calls, cards

    async def dial(self, extension: str, number: str) -> Originated:
        e164 = normalise_phone(number, self.cards.region).e164
        if e164 is None:
            raise InvalidFieldError(
                "number", f"{number!r} is not a dialable phone number", code="not_dialable"
            )
        busy = self.calls.agent_calls(extension)
        if busy.ringing or busy.active:
            raise ConflictError(
                f"extension {extension} is already on a call", code="already_on_call"
            )
        await self._require_online(extension)
        name = await self._client_name(e164)
        await self._send(self._originate(extension, e164, name))
        return Originated(extension, e164, name)

    def _originate(self, extension: str, e164: str, name: str) -> dict[str, str]:
        return {
            "Action": "Originate",
            "Channel": self.settings.interface(extension),
            "Context": ORIGINATE_CONTEXT,
            "Exten": e164,
            "Priority": "1",
            # what the agent's phone shows while it rings: the client, not the agent
            "CallerID": f'"{name}" <{e164}>' if name else e164,
            "Timeout": AGENT_ANSWER_TIMEOUT_MS,
            "Async": "true",
            "Variable": "CTI_CLICK_TO_CALL=1",
        }

    async def _require_online(self, extension: str) -> None:
        interface = self.settings.interface(extension)
        reply = await self._send({"Action": "Getvar", "Variable": f"DEVICE_STATE({interface})"})
        state = reply.get("Value", "UNKNOWN")
        if state in OFFLINE_STATES:
            raise ConflictError(
                f"the phone of extension {extension} is offline ({state})",
                code="phone_offline",
                params={"extension": extension},
            )

    async def _client_name(self, e164: str) -> str:
        card = await self.cards.lookup(e164)
        if card is None:
            return ""
        if card.contact is not None:
            return card.contact.full_name or ""
        return card.company.name if card.company is not None else ""

    async def _send(self, action: dict[str, str]) -> dict[str, str]:
        return await send_checked(self.ami, action)
