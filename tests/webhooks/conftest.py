"""Webhook fixtures: a real HTTP receiver on a free port, a subscription to it, a fast sender."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import select

from bench.common.webhook_receiver import Receiver
from crm_core.models import WebhookEvent
from crm_core.services import Services
from crm_core.services.dto import Actor, CallRecord
from crm_core.webhooks.call_events import CallWebhookEvents
from crm_core.webhooks.dto import SubscriptionCreate
from cti.ami.metrics import Counters
from cti.webhooks.sender import WebhookSender
from cti.webhooks.settings import WebhookSettings
from tests.crm_core.conftest import add_contact, minutes_ago

SECRET = "a-test-secret-of-some-length"
ADMIN = Actor.system()
EVERY_EVENT = ["call.ringing", "call.answered", "call.transferred", "call.ended",
               "call.wrapup", "callback.due", "contact.created"]  # fmt: skip
FAST = {"poll_seconds": 0.02, "retry_base_seconds": 0.05, "retry_max_seconds": 0.2}


def fast_settings(**overrides: Any) -> WebhookSettings:
    return WebhookSettings(pbx_id="pbx1", **(FAST | overrides))


@pytest_asyncio.fixture
async def receiver() -> AsyncIterator[Receiver]:
    running = Receiver(SECRET)
    await running.start()
    yield running
    await running.stop()


@pytest.fixture
def call_events(services: Services) -> CallWebhookEvents:
    events = CallWebhookEvents(pbx="pbx1")
    services.calls.add_hook(events)
    services.notes.add_hook(events.note_added)
    return events


async def subscribe(services: Services, url: str, events: list[str] | None = None) -> int:
    data = SubscriptionCreate.model_validate(
        {"url": url, "events": events or EVERY_EVENT, "secret": SECRET, "timeout_seconds": 1}
    )
    return (await services.webhooks.create(ADMIN, data)).id


SenderFactory = Callable[..., WebhookSender]


@pytest_asyncio.fixture
async def make_sender() -> AsyncIterator[SenderFactory]:
    started: list[WebhookSender] = []

    def make(services: Services, **overrides: Any) -> WebhookSender:
        sender = WebhookSender(services.webhook_deliveries, fast_settings(**overrides), Counters())
        sender.start()
        started.append(sender)
        return sender

    yield make
    for sender in started:
        await sender.stop()


def whole_call(linkedid: str, **fields: Any) -> CallRecord:
    """An inbound call, answered by 1001, transferred blind to 1002, ended."""
    values: dict[str, Any] = {
        "linkedid": linkedid, "direction": "inbound", "caller": "+421900123456", "callee": "100",
        "queue": "sales", "agents_rang": ["1001"], "answered_by": "1001",
        "started_at": minutes_ago(5), "answered_at": minutes_ago(4), "ended_at": minutes_ago(1),
        "wait_seconds": 60, "talk_seconds": 180, "disposition": "answered",
        "recording": "https://pbx.example/rec/1.wav",
        "transfers": [{"kind": "blind", "from": "1001", "to": "1002", "at": minutes_ago(2)}],
    }  # fmt: skip
    return CallRecord.model_validate(values | fields)


async def outbox_ids(services: Services) -> list[str]:
    async with services.sessions() as session:
        return list(await session.scalars(select(WebhookEvent.event_id).order_by(WebhookEvent.id)))


async def eventually(predicate: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        assert asyncio.get_running_loop().time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.02)


__all__ = ["add_contact"]  # the crm_core tests' fixture, used here too
