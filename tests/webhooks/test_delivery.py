"""The sender against a real HTTP receiver: signed, in order per call, nothing lost while the
receiver refuses or is away, dead letters replayed, undelivered events sent after a restart."""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.common.webhook_receiver import Receiver
from crm_core.models import WebhookDelivery
from crm_core.services import Services, build_services
from crm_core.settings import CrmSettings
from crm_core.webhooks.call_events import CallWebhookEvents
from crm_core.webhooks.dto import DeadLetter
from cti.webhooks.signing import signature, verify
from tests.crm_core.conftest import SYSTEM
from tests.webhooks.conftest import (
    SECRET,
    SenderFactory,
    eventually,
    outbox_ids,
    subscribe,
    whole_call,
)

CALLS = 6  # each gives ringing, answered, transferred, ended


async def register_calls(services: Services, prefix: str, count: int = CALLS) -> None:
    for number in range(count):
        await services.calls.register(SYSTEM, whole_call(f"{prefix}{number}"))


def assert_in_order_per_call(receiver: Receiver) -> None:
    by_call: dict[str, list[str]] = defaultdict(list)
    for item in receiver.received:
        by_call[item.event["call_id"]].append(item.event["type"])
    expected = ["call.ringing", "call.answered", "call.transferred", "call.ended"]
    assert by_call
    assert all(types == expected for types in by_call.values()), dict(by_call)


async def pending(services: Services) -> int:
    async with services.sessions() as session:
        statement = select(func.count()).where(WebhookDelivery.status == "pending")
        return await session.scalar(statement) or 0


async def until_pending(services: Services, count: int) -> None:
    for _ in range(200):
        if await pending(services) == count:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{count} pending deliveries expected, {await pending(services)} found")


async def test_events_arrive_signed_once_each_and_in_order(
    services: Services, call_events: CallWebhookEvents, receiver: Receiver,
    make_sender: SenderFactory,
) -> None:  # fmt: skip
    await subscribe(services, receiver.url)
    await register_calls(services, "ok")
    make_sender(services)
    await eventually(lambda: len(receiver.received) == 4 * CALLS, "every event")
    assert sorted(receiver.event_ids()) == sorted(await outbox_ids(services))
    assert receiver.bad_signatures == 0
    first = receiver.received[0]
    assert first.headers["x-cti-event-id"] == first.event["id"]
    assert first.headers["x-cti-event"] == first.event["type"]
    assert_in_order_per_call(receiver)


async def test_a_receiver_refusing_then_back_loses_nothing(
    services: Services, call_events: CallWebhookEvents, receiver: Receiver,
    make_sender: SenderFactory,
) -> None:  # fmt: skip
    await subscribe(services, receiver.url)
    receiver.refuse = True
    make_sender(services)
    await register_calls(services, "refused")
    await eventually(lambda: receiver.refused >= 2 * CALLS, "refusals and retries")
    await until_pending(services, 4 * CALLS)  # every event fanned out, none delivered
    assert receiver.received == []
    receiver.refuse = False
    await eventually(lambda: len(receiver.received) >= 4 * CALLS, "delivery after the refusals")
    assert sorted(receiver.event_ids()) == sorted(await outbox_ids(services))
    assert_in_order_per_call(receiver)
    assert await pending(services) == 0


async def test_a_receiver_away_then_back_loses_nothing(
    services: Services, call_events: CallWebhookEvents, receiver: Receiver,
    make_sender: SenderFactory,
) -> None:  # fmt: skip
    await subscribe(services, receiver.url)
    await receiver.stop()  # connection refused from now on
    sender = make_sender(services)
    await register_calls(services, "away")
    await eventually(lambda: sender_failures(sender) >= CALLS, "failed attempts")
    await receiver.start()  # the same port
    await eventually(lambda: len(receiver.received) >= 4 * CALLS, "delivery after the outage")
    assert sorted(receiver.event_ids()) == sorted(await outbox_ids(services))
    assert_in_order_per_call(receiver)


async def dead_letters(services: Services, count: int) -> list[DeadLetter]:
    """The dead letters once there are `count` (the last outcome is written after the post)."""
    for _ in range(200):
        dead = list(await services.webhooks.dead_letters(SYSTEM))
        if len(dead) >= count:
            return dead
        await asyncio.sleep(0.05)
    raise AssertionError(f"{count} dead letters expected, {len(dead)} found")


def sender_failures(sender: object) -> int:
    metrics = sender._metrics  # type: ignore[attr-defined]
    return int(metrics.get("webhooks.failed"))


async def test_undelivered_events_go_out_after_a_restart(
    services: Services, call_events: CallWebhookEvents, receiver: Receiver,
    make_sender: SenderFactory, db_engine: AsyncEngine, crm_settings: CrmSettings,
) -> None:  # fmt: skip
    await subscribe(services, receiver.url)
    receiver.refuse = True
    first = make_sender(services)
    await register_calls(services, "restart")
    await eventually(lambda: receiver.refused >= CALLS, "refusals")
    await first.stop()  # the bridge goes away with everything undelivered
    receiver.refuse = False
    restarted = build_services(crm_settings, engine=db_engine)  # a new process's services
    try:
        make_sender(restarted)
        await eventually(lambda: len(receiver.received) >= 4 * CALLS, "delivery after restart")
    finally:
        restarted.cards.close()
        restarted.users.close()
    assert sorted(receiver.event_ids()) == sorted(await outbox_ids(services))
    assert_in_order_per_call(receiver)


async def test_given_up_deliveries_become_dead_letters_and_replay(
    services: Services, call_events: CallWebhookEvents, receiver: Receiver,
    make_sender: SenderFactory,
) -> None:  # fmt: skip
    await subscribe(services, receiver.url)
    receiver.refuse = True
    make_sender(services, max_attempts=2)
    await register_calls(services, "dead", count=1)
    await eventually(lambda: receiver.refused >= 8, "both attempts of each event")
    dead = await dead_letters(services, 4)
    assert dead[0].last_error.startswith("HTTP 503")
    receiver.refuse = False
    assert (await services.webhooks.replay(SYSTEM)).replayed == 4
    await eventually(lambda: len(receiver.received) == 4, "the replayed letters")
    assert await services.webhooks.dead_letters(SYSTEM) == []


async def test_a_slow_receiver_costs_its_timeout_only(
    services: Services, call_events: CallWebhookEvents, receiver: Receiver,
    make_sender: SenderFactory,
) -> None:  # fmt: skip
    await subscribe(services, "http://10.255.255.1:9/hook", ["call.ended"])  # never answers
    await subscribe(services, receiver.url, ["call.ended"])
    make_sender(services)
    started = time.monotonic()
    await register_calls(services, "slow", count=2)
    await eventually(lambda: len(receiver.received) == 2, "the healthy receiver's events", 5)
    assert time.monotonic() - started < 3  # the dead URL's 1 s timeout never held it up


def test_the_signature_covers_the_body_and_the_time() -> None:
    body, now = b'{"id": "x"}', int(time.time())
    headers = {"X-CTI-Timestamp": str(now), "X-CTI-Signature": signature(SECRET, now, body)}
    assert verify(SECRET, headers, body, now)
    assert not verify(SECRET, headers, body + b" ", now)  # changed body
    assert not verify("another-secret-entirely", headers, body, now)
    assert not verify(SECRET, headers, body, now + 301)  # replayed later
    old = {"X-CTI-Timestamp": str(now - 600), "X-CTI-Signature": signature(SECRET, now - 600, body)}
    assert not verify(SECRET, old, body, now)
