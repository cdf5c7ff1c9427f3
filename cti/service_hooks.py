"""The rules the bridge adds to crm_core's services, installed once per process by the
composition root, whatever the role: a web replica's notes and wrap-ups reach the webhook outbox
as the ingest's calls do."""

from __future__ import annotations

from crm_core.services import Services
from crm_core.services.call_followup import FollowUpRules
from crm_core.services.dto.queue_callbacks import QueueCallbackPolicy
from crm_core.services.queue_callback_rules import QueueCallbackRules
from crm_core.webhooks.call_events import CallWebhookEvents
from cti.settings import BridgeSettings
from cti.webhooks.settings import WebhookSettings


def install_service_hooks(
    services: Services, settings: BridgeSettings, webhooks: WebhookSettings
) -> None:
    services.calls.add_hook(FollowUpRules(lead_policy=settings.lead_policy))
    policy = QueueCallbackPolicy(
        attempts=settings.queue_callback_attempts,
        retry_seconds=settings.queue_callback_retry_seconds,
    )
    services.calls.add_hook(QueueCallbackRules(policy))
    events = CallWebhookEvents(pbx=webhooks.pbx_id)  # call events into the outbox with each call
    services.calls.add_hook(events)
    services.notes.add_hook(events.note_added)
    services.wrapups.add_hook(events.wrapup_closed)
