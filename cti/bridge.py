"""The bridge at run time: AMI client -> the call and agent trackers -> their sinks, wired once.

One pipeline feeds both pure trackers every AMI event once: the call tracker's events go to pops,
call log and state store; the agent tracker's changes (membership, queue activity, the listing
after a (re)connect) to the listing reader, the live stats and the agent event log."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from crm_core.services import Services
from crm_core.services.transcript_access import keyword_rules_of
from cti.agents.event_log import AgentEventLog
from cti.agents.tracker import AgentTracker
from cti.ami.client import AmiClient
from cti.ami.config import AmiConfig
from cti.ami.metrics import Counters
from cti.bus.base import Bus
from cti.callbacks.runtime import AgentPageRuntime
from cti.gap.settle import GapSettler
from cti.ingest.calllog import CallLogWriter
from cti.ingest.lease import PgLease
from cti.ingest.pipeline import IngestPipeline
from cti.ingest.standby import Duty, Leadership, MutedWhileStandby, ringing_agents
from cti.ingest.tracking_store import TrackingStore
from cti.live.runtime import LiveTranscripts
from cti.live.settings import LiveSettings
from cti.lookup.external import ExternalLookup
from cti.lookup.pop_card import with_external
from cti.lookup.settings import LookupSettings
from cti.pbxs import DEFAULT_PBX
from cti.queue_callbacks.runtime import build_dialler
from cti.recordings.runtime import RecordingsRuntime
from cti.recordings.settings import RecordingSettings
from cti.routing.runtime import TelephonyRuntime
from cti.routing.settings import TelephonySettings
from cti.screenpop.messages import Message
from cti.screenpop.publisher import ScreenPopPublisher
from cti.screenpop.registry import PopRegistry
from cti.settings import BridgeSettings
from cti.state.channels import VARIABLES_READ
from cti.state.config import TrackerConfig
from cti.state.records import CallEvent
from cti.state.tracker import Tracker
from cti.stats.queue_config import queue_config
from cti.stats.runtime import StatsRuntime
from cti.voicemail.notify import VoicemailNotifier
from cti.voicemail.scanner import VoicemailScanner
from cti.voicemail.settings import VoicemailSettings
from cti.webhooks.sender import WebhookSender
from cti.webhooks.settings import WebhookSettings

log = logging.getLogger(__name__)
LOOKUP_GIVE_UP = 5.0  # seconds a card lookup may hold a connection (the pop waits CARD_WAIT)
SHUTDOWN_STEP_SECONDS = 5.0
SHUTDOWN_DRAIN_SECONDS = 10.0


def ami_config(settings: BridgeSettings) -> AmiConfig:
    return AmiConfig(
        host=settings.ami_host,
        port=settings.ami_port,
        username=settings.ami_user,
        secret=settings.ami_secret,
        ping_interval=settings.ami_ping_interval,
        variables=VARIABLES_READ,
    )


class Bridge:
    """One PBX's ingest: its AMI, tracker, call log, routing hook and schedulers. Changes no
    object it is given: the rules every role adds to the shared services are installed once by
    the composition root (cti/composition.py), which also tells the routing service each PBX's
    queues (`telephony.known_queues`)."""

    def __init__(
        self, settings: BridgeSettings, services: Services, bus: Bus,
        telephony: TelephonySettings | None = None, webhooks: WebhookSettings | None = None,
        recordings: RecordingSettings | None = None, voicemail: VoicemailSettings | None = None,
        lease: PgLease | None = None,
        live: LiveSettings | None = None, *, primary: bool = True,
    ) -> None:  # fmt: skip
        self.settings = settings
        self.pbx = settings.pbx or DEFAULT_PBX
        # the first PBX's bridge of a process runs what is one per process (webhook sender,
        # scheduled call-backs' notices, the supervisor snapshot); the others ingest their PBX
        # (and dial its queue call-backs) only
        self.primary = primary
        self.services = services
        self.metrics = Counters()
        self.lease = lease  # None: one process (SQLite, --role all), always active
        self.leadership = Leadership(self.metrics, leased=lease is not None)
        self.bus = bus = bus if lease is None else MutedWhileStandby(bus, self.leadership)
        self.tracker = Tracker(TrackerConfig(agent_regex=settings.agent_channel_regex))
        self.registry = PopRegistry()
        self.external_cards = ExternalLookup(LookupSettings(), self.metrics)
        pop_cards = with_external(
            self.lookup_card, self.external_cards, services.settings.default_region
        )
        held = None if self.external_cards.enabled else self.held_numbers
        self.publisher = ScreenPopPublisher(
            bus, pop_cards, self.registry, self.metrics, held, pbx=self.pbx
        )
        self.calllog = CallLogWriter(services, self.metrics, pbx=self.pbx)
        self.agents = AgentTracker()
        self.pipeline = IngestPipeline(self.tracker, self.metrics, self.agents)
        self.pipeline.add_listener(self._look_ahead)
        self.pipeline.add_sink("pops", self.publisher.handle)
        self._pops = self.pipeline.stages[-1]
        self.pipeline.add_sink("calllog", self.calllog.handle)
        self.recordings = RecordingsRuntime(
            services.recording_log, recordings or RecordingSettings(), settings, self.metrics
        )
        self.pipeline.observe_events(self.recordings.observe)
        self.voicemail_settings = voicemail or VoicemailSettings()
        self.voicemail = VoicemailScanner(
            services.voicemail_log, self.voicemail_settings, self.metrics,
            make_leads=settings.lead_policy == "always",
            notify=VoicemailNotifier(services.due_callbacks, bus),
        )  # fmt: skip
        if self.voicemail_settings.enabled and primary:
            self.pipeline.observe_events(self.voicemail.observe)
        self.tracking = TrackingStore(
            self.tracker, services.call_states, self.metrics, pbx=self.pbx
        )
        self.pipeline.after_each_event(self.tracking.notify)
        if settings.cel_path:
            settler = GapSettler(
                self.tracker, Path(settings.cel_path),
                partial(services.call_states.ended_among, pbx=self.pbx),
                self.metrics, settings.gap_max_seconds,
            )  # fmt: skip
            self.pipeline.replay_before_resync(settler.events_before)
        self.ami = AmiClient(ami_config(settings), counters=self.metrics)
        queues = queue_config(settings.queues_conf, settings.queue_wrapup)
        self.stats = StatsRuntime(services, bus, self._active_calls, queues)
        self.telephony = TelephonyRuntime(
            telephony or TelephonySettings(), services, self.tracker, self.ami,
            agi_host=settings.agi_host, agi_port=settings.agi_port, counters=self.metrics,
            agents=self.agents, queue_names=self.stats.queue_names,
        )  # fmt: skip
        self.telephony.router.use_external(self.external_cards)
        self.agent_log = AgentEventLog(services.agent_events, self.metrics)
        self.telephony.feed.deliver_to(self.pipeline.feed_listing)
        self.pipeline.add_agent_sink("agents", self.telephony.feed.changes)
        self.pipeline.add_agent_sink("stats", self.stats.publisher.changes)
        self.pipeline.add_agent_sink("agentlog", self.agent_log.changes)
        self.agent_page = AgentPageRuntime(settings, services, bus, self.telephony, self.stats)
        self.webhook_settings = webhooks or WebhookSettings()
        self.queue_callbacks = build_dialler(
            settings, services, self.telephony, self.stats, self.agent_page.states,
            self.tracker, self.ami,
        )  # fmt: skip
        self.webhooks = WebhookSender(
            services.webhook_deliveries, self.webhook_settings, self.metrics
        )
        self.live: LiveTranscripts | None = None
        live = live or LiveSettings()
        # beside the reader: the watch only queues what it saw; one AudioSocket server a process
        # (the first PBX's bridge)
        if live.transcript and primary:
            self.live = LiveTranscripts(
                live, settings.agent_channel_regex, self.ami, bus,
                keyword_rules_of(services), services.calls.get, self.metrics,
            )  # fmt: skip
            self.pipeline.observe_events(self.live.observe)
        self._lead_or_stand_by()

    def _lead_or_stand_by(self) -> None:
        """What a standby holds back and a takeover writes (cti.ingest.standby)."""
        lead = self.leadership
        self.pipeline.add_listener(lead.listen)
        lead.gate(*self.pipeline.stages, self.agent_log.stage, self.recordings.stage)
        stages = {stage.name: stage for stage in self.pipeline.stages}
        calllog = stages["calllog"]
        lead.republish(stages["pops"], lambda: ringing_agents(self.tracker))
        lead.follow(
            calllog, self.tracker.active_calls,
            partial(self.services.call_states.ended_among, pbx=self.pbx),
            [calllog.drain, self.tracking.drain],
        )  # fmt: skip
        lead.add_duty(Duty("tracking", self.tracking.start, self.tracking.stop))
        if self.primary:  # once per process (the first PBX's bridge)
            lead.add_duty(Duty("agent_page", self.agent_page.start, self.agent_page.stop))
        if self.settings.queue_callback_enabled:  # each PBX dials its own kept places
            lead.add_duty(
                Duty("queue_callbacks", self.queue_callbacks.start, self.queue_callbacks.stop)
            )
        if self.primary and self.webhook_settings.enabled:
            lead.add_duty(Duty("webhooks", self.webhooks.start, self.webhooks.stop))
        if self.live is not None:  # a standby asks Asterisk for no copies
            lead.add_duty(Duty("live_transcripts", self.live.start, self.live.stop))
        if self.primary and self.voicemail_settings.enabled:
            lead.add_duty(Duty("voicemail", self.voicemail.start, self.voicemail.stop))
        if self.lease is not None:
            self.lease.on_acquired, self.lease.on_lost = lead.acquired, lead.lost
            self.calllog.on_fenced = self.tracking.on_fenced = self.lease.give_up

    def _active_calls(self, extension: str) -> tuple[str, ...]:
        return self.tracker.agent_calls(extension).active

    async def lookup_card(self, number: str) -> Message | None:
        """The caller's card (a pop waits for it at most publisher.CARD_WAIT, then goes without;
        a database that hangs is given up after LOOKUP_GIVE_UP)."""
        async with asyncio.timeout(LOOKUP_GIVE_UP):
            card = await self.services.cards.lookup(number)
        return None if card is None else card.model_dump(mode="json")

    def _look_ahead(self, events: Sequence[CallEvent]) -> None:
        """The cards of what the pops stage takes; a standby's stage takes nothing."""
        if self._pops.gate is None or self._pops.gate():
            self.publisher.look_ahead(events)

    async def held_numbers(self, numbers: Sequence[str]) -> set[str]:
        async with asyncio.timeout(LOOKUP_GIVE_UP):
            return await self.services.cards.held_numbers(numbers)

    async def start(self) -> None:
        if self.primary:  # one supervisor snapshot per process: the first PBX's
            await self.stats.start()
        await self.agent_log.start()
        await self.tracking.restore()
        self.recordings.start()
        self.pipeline.start(self.ami.events())
        await self.telephony.start()
        await self.ami.start()
        if self.lease is None:
            await self.leadership.start_unleased()
        else:  # a standby until the lease is ours
            self.lease.start()
        gc.freeze()  # start-up's objects live as long as the process: out of the collector's way
        log.info(
            "bridge of PBX %s started; AMI %s:%s",
            self.pbx, self.settings.ami_host, self.settings.ami_port,
        )  # fmt: skip

    async def stop(self) -> None:
        """Stop reading, then give the sinks SHUTDOWN_DRAIN_SECONDS to write what they hold;
        the lease last (a standby takes over what is written); a standby lets it go first."""
        if self.lease is not None and not self.leadership.holding:
            await self.lease.stop()
        await self.leadership.stop()
        steps = (
            self.queue_callbacks.stop,
            self.agent_page.stop,
            self.ami.stop,
            self.telephony.stop,
            self.stats.stop,
            self.agent_log.stop,
            self.webhooks.stop,
            self.recordings.stop_sweep,
            self.voicemail.stop,
            self.external_cards.close,
            *([self.live.stop] if self.live is not None else []),
        )
        for step in steps:
            try:
                async with asyncio.timeout(SHUTDOWN_STEP_SECONDS):
                    await step()
            except TimeoutError:
                log.warning("shutdown: %s took over %s s; going on", step, SHUTDOWN_STEP_SECONDS)
        try:
            async with asyncio.timeout(SHUTDOWN_DRAIN_SECONDS):
                await self.pipeline.drain()
                await self.recordings.drain()
                if self.leadership.holding:  # a standby's store never ran
                    await self.tracking.drain()
        except TimeoutError:
            left = {stage.name: stage.backlog for stage in self.pipeline.stages}
            log.warning("shutdown: sinks still held %s after %s s", left, SHUTDOWN_DRAIN_SECONDS)
        await self.pipeline.stop()
        self.publisher.close()
        await self.recordings.stop()
        await self.tracking.stop()
        if self.lease is not None:
            await self.lease.stop()
        gc.unfreeze()  # what start-up made can be collected again (a test's bridge, gone)

    def status(self) -> dict[str, Any]:
        return {
            "pbx": self.pbx,
            "ami": f"{self.settings.ami_host}:{self.settings.ami_port}",
            "active_calls": len(self.tracker),
            "agi": self.telephony.agi_state,
            "lease": self.leadership.status() | ({} if self.lease is None else self.lease.status()),
            **({"live_transcripts": self.live.status()} if self.live is not None else {}),
            **self.ami.metrics(),
        }


def lifespan_hook(bridge: Bridge) -> Any:
    @asynccontextmanager
    async def run(_app: FastAPI) -> AsyncIterator[None]:
        await bridge.start()
        try:
            yield
        finally:
            await bridge.stop()

    return run
