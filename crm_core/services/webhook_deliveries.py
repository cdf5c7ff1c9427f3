"""What the bridge's webhook sender asks of the database: fan new outbox events out to the
subscriptions that want them, the deliveries due now (the head of each line: one per
subscription and call, so a call's events arrive in order), and the outcome of each attempt.

Every step is one transaction, so a crash between two leaves each delivery pending or done:
a pending one is sent again (at-least-once; receivers drop repeats by the event's id).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, and_, delete, exists, func, select, update
from sqlalchemy.orm import aliased

from crm_core.models import WebhookDelivery, WebhookEvent, WebhookSubscription
from crm_core.models.base import utcnow
from crm_core.services.base import ServiceBase

PENDING, DELIVERED, DEAD = "pending", "delivered", "dead"


@dataclass(frozen=True, slots=True)
class DueDelivery:
    delivery_id: int
    url: str
    secret: str
    timeout_seconds: float
    event_id: str
    type: str
    body: str
    attempts: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Outcome:
    delivery_id: int
    delivered: bool
    error: str = ""
    retry_at: datetime | None = None
    """When to try again; None after a failure: give up (dead letter)."""


DueRows = Select[WebhookDelivery, WebhookEvent, WebhookSubscription]


def _due_statement(now: datetime, limit: int) -> DueRows:
    earlier = aliased(WebhookDelivery)
    waits_behind = exists().where(
        earlier.subscription_id == WebhookDelivery.subscription_id,
        earlier.ordering_key == WebhookDelivery.ordering_key,
        earlier.status == PENDING,
        earlier.id < WebhookDelivery.id,
    )
    return (
        select(WebhookDelivery, WebhookEvent, WebhookSubscription)
        .join(WebhookEvent, WebhookEvent.id == WebhookDelivery.event_pk)
        .join(WebhookSubscription, WebhookSubscription.id == WebhookDelivery.subscription_id)
        .where(
            WebhookDelivery.status == PENDING,
            WebhookDelivery.next_attempt_at <= now,
            WebhookSubscription.enabled,
            ~waits_behind,
        )
        .order_by(WebhookDelivery.id)
        .limit(limit)
    )


def _due(delivery: WebhookDelivery, event: WebhookEvent, sub: WebhookSubscription) -> DueDelivery:
    return DueDelivery(
        delivery.id, sub.url, sub.secret, sub.timeout_seconds, event.event_id, event.type,
        event.body, delivery.attempts, event.created_at,
    )  # fmt: skip


def _fan_out(
    events: Sequence[WebhookEvent], subscriptions: Sequence[WebhookSubscription]
) -> list[WebhookDelivery]:
    """One delivery per event and subscription that wants its type."""
    return [
        WebhookDelivery(
            event_pk=event.id,
            subscription_id=sub.id,
            ordering_key=event.ordering_key,
            status=PENDING,
            attempts=0,
            next_attempt_at=event.created_at,
            last_error="",
        )
        for event in events
        for sub in subscriptions
        if event.type in sub.events
    ]


class DeliveryStore(ServiceBase):
    async def dispatch(self, limit: int = 500) -> int:
        """Fan out up to `limit` new events, oldest first; returns how many were taken."""
        async with self._sessions.begin() as session:
            events = list(
                await session.scalars(
                    select(WebhookEvent)
                    .where(WebhookEvent.dispatched.is_(False))
                    .order_by(WebhookEvent.id)
                    .limit(limit)
                )
            )
            if not events:
                return 0
            subscriptions = list(await session.scalars(select(WebhookSubscription)))
            session.add_all(_fan_out(events, subscriptions))
            taken = [event.id for event in events]
            await session.execute(
                update(WebhookEvent).where(WebhookEvent.id.in_(taken)).values(dispatched=True)
            )
            return len(events)

    async def due(self, now: datetime, limit: int = 100) -> list[DueDelivery]:
        async with self._sessions() as session:
            rows = await session.execute(_due_statement(now, limit))
            return [_due(*row) for row in rows]

    async def record(self, outcomes: Sequence[Outcome], now: datetime | None = None) -> None:
        """The attempts' results, in one transaction: the delivered ones in one statement."""
        at = now or utcnow()
        delivered = [outcome.delivery_id for outcome in outcomes if outcome.delivered]
        async with self._sessions.begin() as session:
            if delivered:
                await session.execute(
                    update(WebhookDelivery)
                    .where(WebhookDelivery.id.in_(delivered))
                    .values(_result_values(Outcome(0, delivered=True), at))
                )
            for outcome in outcomes:
                if not outcome.delivered:
                    await session.execute(
                        update(WebhookDelivery)
                        .where(WebhookDelivery.id == outcome.delivery_id)
                        .values(_result_values(outcome, at))
                    )

    async def counts(self) -> dict[str, int]:
        """Deliveries by status, and the outbox events not fanned out yet ("undispatched")."""
        async with self._sessions() as session:
            rows = await session.execute(
                select(WebhookDelivery.status, func.count()).group_by(WebhookDelivery.status)
            )
            counts = {status: count for status, count in rows}
            counts["undispatched"] = (
                await session.scalar(select(func.count()).where(WebhookEvent.dispatched.is_(False)))
                or 0
            )
            return counts

    async def prune(self, older_than: timedelta) -> int:
        """Forget delivered deliveries and fanned-out events nobody waits for, past `older_than`."""
        cutoff = utcnow() - older_than
        async with self._sessions.begin() as session:
            await session.execute(
                delete(WebhookDelivery).where(
                    WebhookDelivery.status == DELIVERED, WebhookDelivery.created_at < cutoff
                )
            )
            waiting = exists().where(WebhookDelivery.event_pk == WebhookEvent.id)
            result = await session.execute(
                delete(WebhookEvent).where(
                    and_(WebhookEvent.dispatched, WebhookEvent.created_at < cutoff, ~waiting)
                )
            )
            return int(getattr(result, "rowcount", 0) or 0)


def _result_values(outcome: Outcome, at: datetime) -> dict[str, object]:
    attempts = WebhookDelivery.attempts + 1
    if outcome.delivered:
        return {"status": DELIVERED, "attempts": attempts, "delivered_at": at, "last_error": ""}
    error = outcome.error[:500]
    if outcome.retry_at is None:
        return {"status": DEAD, "attempts": attempts, "last_error": error}
    return {"attempts": attempts, "last_error": error, "next_attempt_at": outcome.retry_at}
