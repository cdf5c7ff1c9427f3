"""The webhook sender: one task that fans the outbox out, delivers what is due and records each
attempt. It never touches the AMI reader; a receiver that is slow costs it its own time-out only.

Each round: new outbox events become deliveries; the deliveries due now (at most one per
subscription and call: a call's events go out in order) are posted concurrently, signed; the
outcomes are written in one transaction. A failure is tried again after an exponential
backoff with jitter (`retry_base_seconds` doubling up to `retry_max_seconds`); after
`max_attempts` it becomes a dead letter an admin sees and replays. A crash after a post and
before its outcome is written sends it again: delivery is at-least-once, and the event's id
lets the receiver drop the repeat.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from datetime import UTC, datetime, timedelta

import httpx

from crm_core.services.webhook_deliveries import DeliveryStore, DueDelivery, Outcome
from cti.ami.metrics import Counters
from cti.periodic import Rounds
from cti.webhooks.settings import WebhookSettings
from cti.webhooks.signing import signed_headers

log = logging.getLogger(__name__)
PRUNE_EVERY_SECONDS = 3600.0


def _about_call(delivery: DueDelivery) -> dict[str, str]:
    """The call the event tells of (for the log line), if it is a call's."""
    call_id = json.loads(delivery.body).get("call_id")
    return {"linkedid": call_id.rpartition(":")[2]} if call_id else {}


class WebhookSender(Rounds):
    task_name = "webhook-sender"

    def __init__(self, store: DeliveryStore, settings: WebhookSettings, metrics: Counters) -> None:
        super().__init__(settings.poll_seconds, lambda: metrics.inc("webhooks.errors"))
        self._store = store
        self._settings = settings
        self._metrics = metrics
        self._client: httpx.AsyncClient | None = None
        self._pruned_at = 0.0

    def start(self) -> None:
        self._client = httpx.AsyncClient(follow_redirects=False)
        super().start()

    async def run_round(self) -> bool:
        return await self.round()

    async def closed(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def round(self) -> bool:
        """One fan-out and one batch of deliveries; True when there may be more to do now."""
        dispatched = await self._store.dispatch(self._settings.batch)
        due = await self._store.due(datetime.now(UTC), self._settings.batch)
        if due:
            outcomes = await self._deliver_all(due)
            await self._store.record(outcomes)
        await self._prune_now_and_then()
        return dispatched >= self._settings.batch or len(due) >= self._settings.batch

    async def _deliver_all(self, due: list[DueDelivery]) -> list[Outcome]:
        limit = asyncio.Semaphore(self._settings.concurrency)

        async def one(delivery: DueDelivery) -> Outcome:
            async with limit:
                return await self._deliver(delivery)

        return list(await asyncio.gather(*(one(delivery) for delivery in due)))

    async def _deliver(self, delivery: DueDelivery) -> Outcome:
        assert self._client is not None, "start() first"
        body = delivery.body.encode()
        headers = signed_headers(
            delivery.secret, body, int(time.time()), delivery.event_id, delivery.type
        )
        try:
            response = await self._client.post(
                delivery.url, content=body, headers=headers, timeout=delivery.timeout_seconds
            )
        except httpx.HTTPError as exc:
            return self._failed(delivery, f"{type(exc).__name__}: {exc}")
        if 200 <= response.status_code < 300:
            return self._delivered(delivery)
        return self._failed(delivery, f"HTTP {response.status_code}: {response.text[:200]}")

    def _delivered(self, delivery: DueDelivery) -> Outcome:
        self._metrics.inc("webhooks.delivered")
        latency = (datetime.now(UTC) - delivery.created_at).total_seconds()
        self._metrics.observe("webhooks.delivery_seconds", max(0.0, latency))
        return Outcome(delivery.delivery_id, delivered=True)

    def _failed(self, delivery: DueDelivery, error: str) -> Outcome:
        self._metrics.inc("webhooks.failed")
        attempt = delivery.attempts + 1
        if attempt >= self._settings.max_attempts:
            self._metrics.inc("webhooks.dead")
            log.warning("webhook %s to %s given up after %d attempts: %s", delivery.event_id,
                        delivery.url, attempt, error, extra=_about_call(delivery))  # fmt: skip
            return Outcome(delivery.delivery_id, delivered=False, error=error)
        return Outcome(delivery.delivery_id, False, error, self._retry_at(attempt))

    def _retry_at(self, attempt: int) -> datetime:
        settings = self._settings
        delay = min(settings.retry_base_seconds * 2 ** (attempt - 1), settings.retry_max_seconds)
        return datetime.now(UTC) + timedelta(seconds=delay * random.uniform(0.8, 1.2))

    async def _prune_now_and_then(self) -> None:
        now = time.monotonic()
        if now - self._pruned_at < PRUNE_EVERY_SECONDS:
            return
        self._pruned_at = now
        await self._store.prune(timedelta(days=self._settings.retention_days))
