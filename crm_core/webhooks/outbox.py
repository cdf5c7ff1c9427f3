"""Writing an event into the outbox, inside the caller's transaction: the event exists exactly
when the change it tells of was committed."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.models import WebhookEvent
from crm_core.webhooks.schema import Envelope, envelope


def add_event(session: AsyncSession, event: Envelope) -> None:
    session.add(
        WebhookEvent(
            event_id=event.event_id,
            type=event.type,
            ordering_key=event.ordering_key,
            body=event.body,
            dispatched=False,
        )
    )


def emit(
    session: AsyncSession,
    event_type: str,
    data: dict[str, Any],
    ordering_key: str,
    call_id: str | None = None,
) -> None:
    add_event(session, envelope(event_type, data, ordering_key, call_id))
