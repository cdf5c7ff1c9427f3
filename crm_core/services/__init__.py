"""The CRM's public interface. Build it once with `build_services(settings)` and pass it down.

Every method takes and returns pydantic DTOs (crm_core.services.dto), never ORM objects; every
change takes the acting `Actor` and is audited in its own transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from crm_core.db import Sessions, create_engine, create_sessionmaker
from crm_core.security import TokenSigner
from crm_core.services.agent_events import AgentEventService
from crm_core.services.audit import AuditService
from crm_core.services.call_states import CallStateService
from crm_core.services.callbacks import CallbackService
from crm_core.services.calls import CallHook, CallService
from crm_core.services.cards import CardService
from crm_core.services.companies import CompanyService
from crm_core.services.contact_search import ContactSearch
from crm_core.services.contacts import ContactService
from crm_core.services.due_callbacks import DueCallbacks
from crm_core.services.fencing import Fence
from crm_core.services.merge import MergeService
from crm_core.services.notes import NoteService
from crm_core.services.queue_callbacks import QueueCallbackService
from crm_core.services.recording_log import RecordingLog
from crm_core.services.recordings import RecordingService
from crm_core.services.rotation import RotationService
from crm_core.services.routing import RoutingService
from crm_core.services.tasks import TaskService, insert_task
from crm_core.services.users import UserService
from crm_core.services.voicemail_log import VoicemailLog
from crm_core.services.voicemails import VoicemailService
from crm_core.services.webhook_deliveries import DeliveryStore
from crm_core.services.webhooks import WebhookService
from crm_core.services.wrapup_codes import WrapupCodeService
from crm_core.services.wrapups import WrapupService
from crm_core.settings import CrmSettings, signing_key


@dataclass(frozen=True, slots=True)
class Services:
    settings: CrmSettings
    engine: AsyncEngine
    sessions: Sessions
    users: UserService
    contacts: ContactService
    search: ContactSearch
    rotation: RotationService
    merge: MergeService
    companies: CompanyService
    cards: CardService
    calls: CallService
    call_states: CallStateService
    tasks: TaskService
    notes: NoteService
    audit: AuditService
    routing: RoutingService
    agent_events: AgentEventService
    callbacks: CallbackService
    due_callbacks: DueCallbacks
    queue_callbacks: QueueCallbackService
    webhooks: WebhookService
    webhook_deliveries: DeliveryStore
    wrapup_codes: WrapupCodeService
    wrapups: WrapupService
    recordings: RecordingService
    recording_log: RecordingLog
    voicemails: VoicemailService
    voicemail_log: VoicemailLog

    async def dispose(self) -> None:
        self.cards.close()
        self.users.close()
        self.routing.close()
        await self.engine.dispose()


def build_services(
    settings: CrmSettings, engine: AsyncEngine | None = None, fence: Fence | None = None
) -> Services:
    """Wire every service to one engine (created from settings.database_url unless given).
    `fence`: the ingest lease the call log and the state store write under (services.fencing)."""
    engine = engine if engine is not None else create_engine(settings.database_url)
    sessions = create_sessionmaker(engine)
    signer = TokenSigner(signing_key(settings), settings.token_ttl_seconds)
    return Services(
        settings=settings,
        engine=engine,
        sessions=sessions,
        users=UserService(sessions, settings, signer),
        contacts=ContactService(sessions, settings),
        search=ContactSearch(sessions, settings),
        rotation=RotationService(sessions, settings),
        merge=MergeService(sessions, settings),
        companies=CompanyService(sessions, settings),
        cards=CardService(sessions, settings, engine),
        calls=CallService(sessions, settings, fence=fence),
        call_states=CallStateService(sessions, settings, fence=fence),
        tasks=TaskService(sessions, settings),
        notes=NoteService(sessions, settings),
        audit=AuditService(sessions, settings),
        routing=RoutingService(sessions, settings, engine),
        agent_events=AgentEventService(sessions, settings),
        callbacks=CallbackService(sessions, settings),
        due_callbacks=DueCallbacks(sessions, settings),
        queue_callbacks=QueueCallbackService(sessions, settings),
        webhooks=WebhookService(sessions, settings),
        webhook_deliveries=DeliveryStore(sessions, settings),
        wrapup_codes=WrapupCodeService(sessions, settings),
        wrapups=WrapupService(sessions, settings),
        recordings=RecordingService(sessions, settings),
        recording_log=RecordingLog(sessions, settings),
        voicemails=VoicemailService(sessions, settings),
        voicemail_log=VoicemailLog(sessions, settings),
    )


__all__ = ["CallHook", "Services", "build_services", "insert_task"]
