"""Agents' phones: PJSIP endpoints 1001-1010 registered from one UDP socket.

Asterisk sees each agent as a registered device, so agent channels are `PJSIP/1001-...` exactly as
with real phones. Each phone follows its AnswerPlan when rung and can dial like a phone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from cti.sandbox.sip.agent import UserAgent
from cti.sandbox.sip.calls import AnswerPlan, follow_plan, hang_up, place_call
from cti.sandbox.sip.dialog import Dialog
from cti.sandbox.sip.message import SipMessage, new_branch, new_token

REGISTER_SECONDS = 600


def agent_password(extension: str) -> str:
    """The documented sandbox password of an agent endpoint (dialplans/asterisk/pjsip.conf)."""
    return f"sandbox-{extension}"


class Phones:
    """The agents' phones. `plans[ext]` says how each answers; the default answers after 1 s."""

    def __init__(self, ua: UserAgent, extensions: Iterable[str]) -> None:
        self.ua = ua
        self.extensions = list(extensions)
        self.plans: dict[str, AnswerPlan] = {}
        self.default_plan = AnswerPlan()
        self.planner: Callable[[str], AnswerPlan] | None = None  # per call, overrides the rest
        ua.on_invite = self._ring

    async def register_all(self, expires: int = REGISTER_SECONDS) -> None:
        for extension in self.extensions:
            await self.register(extension, expires)

    async def unregister_all(self) -> None:
        await self.register_all(expires=0)

    async def register(self, extension: str, expires: int = REGISTER_SECONDS) -> None:
        call_id, tag = new_token(), new_token()
        cseq = iter(range(1, 10))

        def build() -> SipMessage:
            return self._register_request(extension, call_id, tag, next(cseq), expires)

        credentials = (extension, agent_password(extension))
        _, response = await self.ua.authenticated(build, credentials)
        if response.status != 200:
            raise RuntimeError(f"REGISTER {extension} failed: {response.start_line}")

    async def dial(self, extension: str, number: str) -> Dialog:
        """The agent dials a number from the phone (an agent, a queue, an outside number)."""
        host, port = self.ua.registrar
        me = self.ua.contact(extension)
        credentials = (extension, agent_password(extension))
        return await place_call(self.ua, me, f"sip:{number}@{host}:{port}", credentials, True)

    async def hang_up(self, dialog: Dialog) -> None:
        await hang_up(self.ua, dialog)

    def calls_of(self, extension: str) -> list[Dialog]:
        return [d for d in self.ua.dialogs.values() if d.me.user == extension]

    async def _ring(self, dialog: Dialog) -> None:
        plan = self.plans.get(dialog.me.user, self.default_plan)
        if self.planner is not None:
            plan = self.planner(dialog.me.user)
        await follow_plan(self.ua, dialog, plan)

    def _register_request(
        self, extension: str, call_id: str, tag: str, cseq: int, expires: int
    ) -> SipMessage:
        host, port = self.ua.registrar
        me = self.ua.contact(extension)
        headers = [
            ("via", me.via(new_branch())),
            ("max-forwards", "70"),
            ("from", f"{me.address};tag={tag}"),
            ("to", me.address),
            ("call-id", call_id),
            ("cseq", f"{cseq} REGISTER"),
            ("contact", f"<{me.uri}>"),
            ("expires", str(expires)),
            ("user-agent", "cti-sandbox-ua"),
        ]
        return SipMessage(f"REGISTER sip:{host}:{port} SIP/2.0", headers)
