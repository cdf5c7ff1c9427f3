"""The queue call-back rings the agent's phone for CTI_QUEUE_CALLBACK_AGENT_RING_SECONDS (the
Originate's Timeout) before that agent is passed over; 20 s unless set."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from cti.queue_callbacks.dialler import QueueCallbackDialler, QueueFacts
from cti.settings import BridgeSettings
from tests.queue_callbacks.test_places import place


def _dialler(settings: BridgeSettings) -> QueueCallbackDialler:
    nothing: Any = None
    facts = QueueFacts(
        real_joins=dict, free_members=lambda queue, now: [], callback_calls=dict,
        recently_ended=set, interface=lambda extension: f"PJSIP/{extension}",
    )  # fmt: skip
    return QueueCallbackDialler(
        nothing, nothing, facts, lambda views: None, settings.queue_callback_poll_seconds,
        agent_ring_seconds=settings.queue_callback_agent_ring_seconds,
    )  # fmt: skip


def test_the_agents_phone_rings_as_long_as_the_setting_says(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    default = _dialler(BridgeSettings())._originate(place(1, 0), "1002")
    assert (default["Channel"], default["Timeout"]) == ("PJSIP/1002", "20000")
    monkeypatch.setenv("CTI_QUEUE_CALLBACK_AGENT_RING_SECONDS", "35")
    longer = _dialler(BridgeSettings())._originate(place(1, 0), "1002")
    assert longer["Timeout"] == "35000"


@pytest.mark.parametrize("seconds", ["0", "4", "301", "soon"])
def test_a_ring_time_out_of_bounds_is_refused(
    monkeypatch: pytest.MonkeyPatch, seconds: str
) -> None:
    monkeypatch.setenv("CTI_QUEUE_CALLBACK_AGENT_RING_SECONDS", seconds)
    with pytest.raises(ValidationError, match="queue_callback_agent_ring_seconds"):
        BridgeSettings()
