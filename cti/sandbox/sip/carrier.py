"""The carrier: the far end of the trunk. It places inbound calls to the PBX's DIDs with chosen
caller numbers and names, and answers the PBX's outbound calls according to per-number plans."""

from __future__ import annotations

from collections.abc import Callable

from cti.sandbox.sip.agent import UserAgent
from cti.sandbox.sip.calls import AnswerPlan, follow_plan, hang_up, place_call
from cti.sandbox.sip.dialog import Dialog


class Carrier:
    """`plans[number]` says how the called outside number answers; the default answers after 2 s."""

    def __init__(self, ua: UserAgent) -> None:
        self.ua = ua
        self.plans: dict[str, AnswerPlan] = {}
        self.default_plan = AnswerPlan(answer_after=2.0)
        self.planner: Callable[[str], AnswerPlan] | None = None  # per call, overrides the rest
        ua.on_invite = self._ring

    async def call(self, did: str, number: str, name: str = "") -> Dialog:
        """An outside caller dials one of the PBX's DIDs."""
        host, port = self.ua.registrar
        me = self.ua.contact(number, name)
        return await place_call(self.ua, me, f"sip:{did}@{host}:{port}")

    async def hang_up(self, dialog: Dialog) -> None:
        await hang_up(self.ua, dialog)

    async def _ring(self, dialog: Dialog) -> None:
        plan = self.plans.get(dialog.me.user, self.default_plan)
        if self.planner is not None:
            plan = self.planner(dialog.me.user)
        await follow_plan(self.ua, dialog, plan)
