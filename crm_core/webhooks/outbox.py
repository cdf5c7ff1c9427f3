"""Writing an event into the outbox, inside the caller's transaction: the event exists exactly
when the change it tells of was committed.

Events are collected on the session and written just before its commit, all in one Core
executemany: added as ORM objects they cost one INSERT each on SQLite (the ORM must learn each
id and will not batch RETURNING there), four of them a call in the call log's batches.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

from crm_core.models import WebhookEvent
from crm_core.services.bulk_rows import table_of
from crm_core.webhooks.schema import Envelope, envelope

_PENDING = "cti.webhook_outbox"
_TABLE = table_of(WebhookEvent)


def add_event(session: AsyncSession, event: Envelope) -> None:
    if not session.in_transaction():
        session.sync_session.begin()  # as session.add would: the rows belong to this transaction
    pending: list[dict[str, Any]] = session.info.setdefault(_PENDING, [])
    pending.append({
        "event_id": event.event_id, "type": event.type, "ordering_key": event.ordering_key,
        "body": event.body, "dispatched": False,
    })  # fmt: skip


def emit(
    session: AsyncSession,
    event_type: str,
    data: dict[str, Any],
    ordering_key: str,
    call_id: str | None = None,
) -> None:
    add_event(session, envelope(event_type, data, ordering_key, call_id))


@event.listens_for(Session, "before_commit")
def _write_pending(session: Session) -> None:
    rows = session.info.pop(_PENDING, None)
    if rows:
        session.execute(insert(_TABLE), rows)


@event.listens_for(Session, "after_transaction_end")
def _forget_pending(session: Session, transaction: SessionTransaction) -> None:
    """A transaction rolled back or closed without commit takes its events with it."""
    if transaction.parent is None:
        session.info.pop(_PENDING, None)
