"""Outgoing webhooks: who subscribed to what, the outbox of events, and each event's delivery.

`webhook_events` is the outbox: a row is added in the same transaction as the change it tells
of (a call's record, a new contact, a call-back falling due), holding the exact body that will
be sent. The bridge's sender fans each event out to the subscriptions that want it
(`webhook_deliveries`, one row per event and subscription) and delivers those in order per
`ordering_key` (a call, a contact): nothing is lost by a crash, a restart or a receiver away.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text, true
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.models.base import Base, UtcDateTime, utcnow


class WebhookSubscription(Base):
    __tablename__ = "webhook_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    secret: Mapped[str] = mapped_column(String(200))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    timeout_seconds: Mapped[float] = mapped_column(Float, default=5.0)
    description: Mapped[str] = mapped_column(String(200), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class WebhookEvent(Base):
    __tablename__ = "webhook_events"
    __table_args__ = (Index("ix_webhook_events_dispatched_id", "dispatched", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)  # the outbox order
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    type: Mapped[str] = mapped_column(String(40))
    ordering_key: Mapped[str] = mapped_column(String(140))
    body: Mapped[str] = mapped_column(Text)  # the exact JSON sent (and signed) every time
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    dispatched: Mapped[bool] = mapped_column(Boolean, default=False)


class WebhookDelivery(Base):
    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        Index("ix_webhook_deliveries_status_next", "status", "next_attempt_at"),
        Index("ix_webhook_deliveries_line", "subscription_id", "ordering_key", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_pk: Mapped[int] = mapped_column(ForeignKey("webhook_events.id", ondelete="CASCADE"))
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_subscriptions.id", ondelete="CASCADE")
    )
    ordering_key: Mapped[str] = mapped_column(String(140))
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending, delivered, dead
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
