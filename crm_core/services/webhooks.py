"""The admin's side of webhooks: subscriptions (validated, audited) and the dead-letter list
with its replay. Admins only: a subscription holds a signing secret and sends the CRM's data
out of the building."""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.errors import NotFoundError
from crm_core.models import WebhookDelivery, WebhookEvent, WebhookSubscription
from crm_core.models.base import utcnow
from crm_core.models.enums import AuditAction, Role
from crm_core.services.audit import diff, record
from crm_core.services.base import ServiceBase, require_role
from crm_core.services.dto import Actor
from crm_core.webhooks.dto import (
    DeadLetter,
    Replayed,
    SubscriptionCreate,
    SubscriptionCreated,
    SubscriptionOut,
    SubscriptionPatch,
)

TABLE = "webhook_subscriptions"
DEAD = "dead"


def _audited(row: WebhookSubscription) -> dict[str, Any]:
    """What the audit trail keeps of a subscription: everything but the secret."""
    return {
        "url": row.url, "events": list(row.events), "enabled": row.enabled,
        "timeout_seconds": row.timeout_seconds, "description": row.description,
    }  # fmt: skip


async def _counts(session: AsyncSession) -> dict[tuple[int, str], int]:
    rows = await session.execute(
        select(WebhookDelivery.subscription_id, WebhookDelivery.status, func.count())
        .where(WebhookDelivery.status != "delivered")
        .group_by(WebhookDelivery.subscription_id, WebhookDelivery.status)
    )
    return {(sub, status): count for sub, status, count in rows}


def _out(row: WebhookSubscription, counts: dict[tuple[int, str], int]) -> SubscriptionOut:
    out = SubscriptionOut.model_validate(row)
    return out.model_copy(
        update={
            "pending": counts.get((row.id, "pending"), 0),
            "dead": counts.get((row.id, DEAD), 0),
        }
    )


async def _get(session: AsyncSession, subscription_id: int) -> WebhookSubscription:
    row = await session.get(WebhookSubscription, subscription_id)
    if row is None:
        raise NotFoundError("webhook subscription", subscription_id)
    return row


def _dead_letter(delivery: WebhookDelivery, event: WebhookEvent, url: str) -> DeadLetter:
    return DeadLetter(
        delivery_id=delivery.id, subscription_id=delivery.subscription_id, url=url,
        event_id=event.event_id, type=event.type, ordering_key=delivery.ordering_key,
        attempts=delivery.attempts, last_error=delivery.last_error,
        created_at=event.created_at, event=json.loads(event.body),
    )  # fmt: skip


class WebhookService(ServiceBase):
    async def list(self, actor: Actor) -> list[SubscriptionOut]:
        require_role(actor, Role.ADMIN)
        async with self._sessions() as session:
            rows = await session.scalars(
                select(WebhookSubscription).order_by(WebhookSubscription.id)
            )
            counts = await _counts(session)
            return [_out(row, counts) for row in rows]

    async def create(self, actor: Actor, data: SubscriptionCreate) -> SubscriptionCreated:
        require_role(actor, Role.ADMIN)
        secret = data.secret or secrets.token_urlsafe(32)
        async with self._sessions.begin() as session:
            row = WebhookSubscription(**data.model_dump(exclude={"secret"}), secret=secret)
            session.add(row)
            await session.flush()
            record(session, actor, AuditAction.CREATE, TABLE, row.id, _audited(row))
            out = _out(row, {})
        return SubscriptionCreated(**out.model_dump(), secret=secret)

    async def update(
        self, actor: Actor, subscription_id: int, data: SubscriptionPatch
    ) -> SubscriptionOut:
        require_role(actor, Role.ADMIN)
        async with self._sessions.begin() as session:
            row = await _get(session, subscription_id)
            before = _audited(row)
            for name, value in data.model_dump(exclude_unset=True).items():
                setattr(row, name, value)
            changes = diff(before, _audited(row))
            if data.secret is not None:
                changes["secret"] = "changed"
            record(session, actor, AuditAction.UPDATE, TABLE, row.id, changes)
            await session.flush()
            return _out(row, await _counts(session))

    async def delete(self, actor: Actor, subscription_id: int) -> None:
        require_role(actor, Role.ADMIN)
        async with self._sessions.begin() as session:
            row = await _get(session, subscription_id)
            record(session, actor, AuditAction.DELETE, TABLE, row.id, _audited(row))
            await session.delete(row)

    async def dead_letters(self, actor: Actor, limit: int = 100) -> Sequence[DeadLetter]:
        """Deliveries given up on (the receiver refused or was away past every retry), oldest
        first."""
        require_role(actor, Role.ADMIN)
        statement = (
            select(WebhookDelivery, WebhookEvent, WebhookSubscription.url)
            .join(WebhookEvent, WebhookEvent.id == WebhookDelivery.event_pk)
            .join(WebhookSubscription, WebhookSubscription.id == WebhookDelivery.subscription_id)
            .where(WebhookDelivery.status == DEAD)
            .order_by(WebhookDelivery.id)
            .limit(limit)
        )
        async with self._sessions() as session:
            return [_dead_letter(*row) for row in await session.execute(statement)]

    async def replay(
        self, actor: Actor, delivery_id: int | None = None, subscription_id: int | None = None
    ) -> Replayed:
        """Send dead letters again from now: one (`delivery_id`), a subscription's, or all."""
        require_role(actor, Role.ADMIN)
        conditions = [WebhookDelivery.status == DEAD]
        if delivery_id is not None:
            conditions.append(WebhookDelivery.id == delivery_id)
        if subscription_id is not None:
            conditions.append(WebhookDelivery.subscription_id == subscription_id)
        async with self._sessions.begin() as session:
            ids = list(await session.scalars(select(WebhookDelivery.id).where(*conditions)))
            if delivery_id is not None and not ids:
                raise NotFoundError("dead letter", delivery_id)
            await session.execute(
                update(WebhookDelivery)
                .where(WebhookDelivery.id.in_(ids))
                .values(status="pending", attempts=0, next_attempt_at=utcnow(), last_error="")
            )
            for replayed in ids:
                record(session, actor, AuditAction.UPDATE, "webhook_deliveries", replayed,
                       {"status": [DEAD, "pending"]})  # fmt: skip
        return Replayed(replayed=len(ids))
