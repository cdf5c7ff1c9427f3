"""Concurrent calls must not disturb each other: interleaved streams give the same records."""

from __future__ import annotations

import json
from collections.abc import Sequence

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cti.state.config import DEFAULT_AGENT_REGEX, TrackerConfig
from cti.state.events import AmiEvent
from tests.state.flows import FLOWS
from tests.state.helpers import ended_records
from tests.state.interleave import interleave, relabel
from tests.state.scenarios import load, scenario_names


def _pool() -> list[list[AmiEvent]]:
    streams = [flow()[0].events for flow in FLOWS.values()]
    for name in scenario_names():
        scenario = load(name)
        if scenario.agents_regex == DEFAULT_AGENT_REGEX and scenario.events:
            streams.append(scenario.events)
    return streams


POOL = _pool()


def _canonical(events: Sequence[AmiEvent]) -> list[str]:
    records = ended_records(events, TrackerConfig())
    return sorted(json.dumps(r.as_dict(), sort_keys=True) for r in records)


@st.composite
def concurrent_calls(draw: st.DrawFn) -> tuple[list[list[AmiEvent]], list[AmiEvent]]:
    picks = draw(st.lists(st.integers(0, len(POOL) - 1), min_size=2, max_size=4))
    streams = [relabel(POOL[p], f"c{i}") for i, p in enumerate(picks)]
    slots = [i for i, stream in enumerate(streams) for _ in stream]
    order = draw(st.permutations(slots))
    return streams, interleave(streams, order)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(concurrent_calls())
def test_interleaved_calls_give_the_records_of_each_alone(
    case: tuple[list[list[AmiEvent]], list[AmiEvent]],
) -> None:
    streams, merged = case
    alone = sorted(line for stream in streams for line in _canonical(stream))
    assert _canonical(merged) == alone


def test_relabelled_copy_is_a_distinct_call() -> None:
    stream = POOL[0]
    both = interleave([relabel(stream, "a"), relabel(stream, "b")], [0, 1] * len(stream))
    assert len(ended_records(both)) == 2 * len(ended_records(stream))
