"""The simulator's own ground truth: what each placed call really was, seen from the SIP side.

`TruthTraffic` is the simulator's random traffic (cti.sandbox.sim.traffic) with a notebook: for
every call it places it knows the kind, the caller and callee as the record should show them,
when it started, and, by watching the INVITEs that reach the agents' phones and the carrier,
which agents' phones rang, who answered first, whether the caller gave up and how the call
ended. It knows nothing of Asterisk's linkedids: records are matched to it by their parties
and start time.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field

from cti.sandbox.sim.traffic import CALLER_NAMES, Traffic, TrafficMix, TrafficStats
from cti.sandbox.sim.world import AGENTS, World
from cti.sandbox.sip.agent import InviteHandler
from cti.sandbox.sip.dialog import Dialog
from cti.sandbox.sip.message import uri_of, user_of

MAX_CALL_SECONDS = 150.0  # the longest a simulated call can last (queue, fallback, talk)


@dataclass
class TruthCall:
    kind: str  # inbound | outbound | internal
    caller: str
    callee: str
    started_at: float
    dialog: Dialog | None = None
    agents_rang: set[str] = field(default_factory=set)
    answered_by: str | None = None  # first agent leg answered (inbound, internal)
    answered: bool = False  # the caller's own leg was answered
    caller_gave_up: bool = False
    final_status: int = 0
    ended_at: float | None = None
    cut_by_restart: bool = False  # alive when Asterisk was restarted
    transfers: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, from, to)

    @property
    def parties(self) -> frozenset[str]:
        return frozenset({self.caller, self.callee})

    @property
    def leg_user(self) -> str:
        """Who the far legs see calling (the From user of an agent's INVITE)."""
        return self.caller

    def expected_disposition(self) -> str | None:
        """The disposition call-semantics.md gives this call; None when the SIP side cannot tell."""
        if self.answered:
            return "answered"
        if self.cut_by_restart:
            return None
        if self.caller_gave_up:
            return "abandoned" if self.kind == "inbound" else "missed"
        if self.final_status in (486, 600):
            return "busy"
        if self.agents_rang or self.kind == "outbound":
            return "missed"
        return None


class TruthTraffic(Traffic):
    """`transfer_share`: answered inbound calls that the answering agent blind-transfers (over
    AMI, as the bridge's transfer button does) to another agent a second after answering."""

    def __init__(
        self, world: World, mix: TrafficMix, seed: int | None = None, transfer_share: float = 0.3
    ) -> None:
        super().__init__(world, mix, seed)
        self.transfer_share = transfer_share
        self.calls: list[TruthCall] = []
        self.open_for_calls = asyncio.Event()  # cleared: no new calls (Asterisk restarting)
        self.open_for_calls.set()
        self._watch_legs()

    async def run(self, calls: int, rate: float) -> TrafficStats:
        """Like Traffic.run (`calls` > 0), pausing while `open_for_calls` is cleared."""
        tasks: set[asyncio.Task[None]] = set()
        for _ in range(calls):
            await self.open_for_calls.wait()
            tasks.add(asyncio.create_task(self.one_call()))
            await asyncio.sleep(1 / rate)
        await asyncio.gather(*tasks, return_exceptions=True)
        return self.stats

    def placed(self) -> list[TruthCall]:
        """The calls that reached Asterisk (a call whose INVITE could not be sent is no call)."""
        return [call for call in self.calls if call.dialog is not None]

    def mark_cut(self) -> None:
        """Asterisk is about to be restarted: every call alive now dies with it."""
        for call in self.active():
            call.cut_by_restart = True

    def active(self) -> list[TruthCall]:
        return [call for call in self.calls if call.ended_at is None]

    def forget_all_legs(self) -> None:
        """After the restart: end locally every SIP leg the old Asterisk left (it will never
        send their BYE now)."""
        for ua in (self.world.phones.ua, self.world.carrier.ua):
            for dialog in list(ua.dialogs.values()):
                ua.forget(dialog)

    # -- placing calls -----------------------------------------------------------------------
    async def _inbound(self) -> Dialog:
        number = f"+420601{self.random.randrange(10**6):06d}"
        name = self.random.choice(CALLER_NAMES)
        did = self.random.choice(self.mix.dids)
        call = self._note("inbound", number, did)
        call.dialog = await self.world.carrier.call(did, number, name)
        return call.dialog

    async def _outbound(self) -> Dialog:
        number = f"0777{self.random.randrange(10**6):06d}"
        agent = self.random.choice(AGENTS)
        call = self._note("outbound", agent, number)
        call.dialog = await self.world.phones.dial(agent, number)
        return call.dialog

    async def _internal(self) -> Dialog:
        caller, callee = self.random.sample(AGENTS, 2)
        call = self._note("internal", caller, callee)
        call.dialog = await self.world.phones.dial(caller, callee)
        return call.dialog

    def _note(self, kind: str, caller: str, callee: str) -> TruthCall:
        call = TruthCall(kind, caller, callee, time.time())
        self.calls.append(call)
        return call

    async def _follow(self, dialog: Dialog, patience: float | None) -> None:
        call = next(c for c in reversed(self.calls) if c.dialog is dialog)
        try:
            await asyncio.wait_for(self._follow_one(call, dialog, patience), MAX_CALL_SECONDS)
        except TimeoutError:
            self.world.phones.ua.forget(dialog)
            self.world.carrier.ua.forget(dialog)
        finally:
            call.final_status = dialog.final_status
            call.ended_at = time.time()

    async def _follow_one(self, call: TruthCall, dialog: Dialog, patience: float | None) -> None:
        answered = asyncio.ensure_future(dialog.answered.wait())
        ended = asyncio.ensure_future(dialog.ended.wait())
        try:
            await asyncio.wait(
                {answered, ended}, timeout=patience, return_when=asyncio.FIRST_COMPLETED
            )
            if not dialog.answered.is_set() and not dialog.ended.is_set():
                call.caller_gave_up = True
                await self._hang_up(dialog)
            transfer = asyncio.ensure_future(self._maybe_transfer(call, dialog))
            await ended
        finally:
            answered.cancel()
            ended.cancel()
        with contextlib.suppress(Exception):
            await transfer
        call.answered = dialog.answered.is_set()

    async def _maybe_transfer(self, call: TruthCall, dialog: Dialog) -> None:
        if not dialog.answered.is_set() or call.kind != "inbound":
            return
        if self.random.random() >= self.transfer_share:
            return
        await asyncio.sleep(1)
        source = call.answered_by
        if source is None or dialog.ended.is_set():
            return
        listing = await self.world.ami.listing("CoreShowChannels")
        prefix = f"PJSIP/{source}-"
        channels = [c["Channel"] for c in listing if c.get("Channel", "").startswith(prefix)]
        if len(channels) != 1:
            return  # the agent is on two calls: which one to transfer is not certain
        target = self.random.choice([agent for agent in AGENTS if agent != source])
        await self.world.ami.action(
            "BlindTransfer", Channel=channels[0], Exten=target, Context="agents"
        )
        call.transfers.append(("blind", source, target))

    # -- watching the far legs ---------------------------------------------------------------
    def _watch_legs(self) -> None:
        for ua, far_end in ((self.world.phones.ua, "agent"), (self.world.carrier.ua, "carrier")):
            original = ua.on_invite
            assert original is not None
            ua.on_invite = self._watcher(original, far_end)

    def _watcher(self, original: InviteHandler, far_end: str) -> InviteHandler:
        async def watched(dialog: Dialog) -> None:
            call = self._owner_of_leg(dialog, far_end)
            noted = asyncio.ensure_future(self._note_answer(call, dialog, far_end))
            try:
                await original(dialog)
            finally:
                noted.cancel()

        return watched

    def _owner_of_leg(self, dialog: Dialog, far_end: str) -> TruthCall | None:
        """The live call this leg belongs to: for an agent's phone, the one whose caller is the
        INVITE's From user; for the carrier, the outbound call to the dialled number."""
        if far_end == "carrier":
            wanted = dialog.me.user
            candidates = [c for c in self.active() if c.kind == "outbound" and c.callee == wanted]
        else:
            wanted = user_of(uri_of(dialog.remote))
            candidates = [c for c in self.active() if c.leg_user == wanted]
            if candidates and far_end == "agent":
                candidates[-1].agents_rang.add(dialog.me.user)
        return candidates[-1] if candidates else None

    async def _note_answer(self, call: TruthCall | None, dialog: Dialog, far_end: str) -> None:
        await dialog.answered.wait()
        if call is not None and far_end == "agent" and call.answered_by is None:
            call.answered_by = dialog.me.user
