"""A new message tells its call-back's assignee at once (`callback_due` with the message on
/ws/agent's bus topic); a message found old (a first pass over a full spool) tells nobody."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from crm_core.models.enums import Role
from crm_core.services import Services
from cti.ami.metrics import Counters
from cti.bus.base import agent_topic
from cti.bus.memory import MemoryBus
from cti.voicemail.notify import VoicemailNotifier
from cti.voicemail.scanner import VoicemailScanner
from cti.voicemail.settings import VoicemailSettings
from tests.fixtures.db import MakeUser
from tests.voicemail.spool_files import leave_message


async def test_the_box_agent_is_told_of_a_new_message_only(
    services: Services, make_user: MakeUser
) -> None:
    await make_user(Role.AGENT, extensions=["1007"])
    bus = MemoryBus()
    notifier = VoicemailNotifier(services.due_callbacks, bus)
    scanner = VoicemailScanner(
        services.voicemail_log, VoicemailSettings(), Counters(), notify=notifier
    )
    subscription = await bus.subscribe({agent_topic("1007")})
    root = services.settings.voicemail_dir
    now = datetime.now(UTC)
    leave_message(root, 0, at=now - timedelta(days=3), number="0911000111", msg_id="old-1")
    leave_message(root, 1, at=now - timedelta(minutes=2), number="0911000222", msg_id="new-1")
    result = await scanner.scan()
    assert len(result.added) == 2
    fresh = next(v for v in result.added if v.caller_number == "0911000222")
    topic, frame = await asyncio.wait_for(anext(aiter(subscription)), 5)
    assert topic == agent_topic("1007")
    assert frame["type"] == "callback_due"
    assert frame["voicemail"]["id"] == fresh.id
    assert frame["callback"]["id"] == fresh.task_id
    assert notifier.sent == 1  # the three-day-old one told nobody
    await subscription.close()
