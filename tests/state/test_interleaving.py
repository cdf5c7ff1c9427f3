"""Concurrent calls must not disturb each other: interleaved streams give the same records."""

from __future__ import annotations

import json
from collections.abc import Sequence

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cti.state.config import DEFAULT_AGENT_REGEX, TrackerConfig
from cti.state.events import AmiEvent
from tests.state.flows import FLOWS
from tests.state.flows_transfer import pickup_by_colleague, refer_attended_transfer
from tests.state.helpers import ended_records
from tests.state.interleave import interleave, relabel
from tests.state.scenarios import load, scenario_names

Case = tuple[TrackerConfig, list[list[AmiEvent]], list[AmiEvent]]


def _pools() -> dict[str, list[list[AmiEvent]]]:
    """Streams grouped by agent regex: only calls read with the same config can be mixed."""
    own = [flow()[0] for flow in (*FLOWS.values(), refer_attended_transfer, pickup_by_colleague)]
    pools = {DEFAULT_AGENT_REGEX: [stream.events for stream in own]}
    for name in scenario_names():
        scenario = load(name)
        pools.setdefault(scenario.agents_regex, []).append(scenario.events)
    return pools


POOLS = _pools()


def _canonical(events: Sequence[AmiEvent], config: TrackerConfig) -> list[str]:
    records = ended_records(events, config)
    return sorted(json.dumps(r.as_dict(), sort_keys=True) for r in records)


@st.composite
def concurrent_calls(draw: st.DrawFn) -> Case:
    regex = draw(st.sampled_from(sorted(POOLS)))
    pool = POOLS[regex]
    picks = draw(st.lists(st.sampled_from(range(len(pool))), min_size=2, max_size=4))
    streams = [relabel(pool[p], f"c{i}") for i, p in enumerate(picks)]
    slots = [i for i, stream in enumerate(streams) for _ in stream]
    order = draw(st.permutations(slots))
    return TrackerConfig(agent_regex=regex), streams, interleave(streams, order)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(concurrent_calls())
def test_interleaved_calls_give_the_records_of_each_alone(case: Case) -> None:
    config, streams, merged = case
    alone = sorted(line for stream in streams for line in _canonical(stream, config))
    assert _canonical(merged, config) == alone


def test_relabelled_copy_is_a_distinct_call() -> None:
    stream = POOLS[DEFAULT_AGENT_REGEX][0]
    both = interleave([relabel(stream, "a"), relabel(stream, "b")], [0, 1] * len(stream))
    assert len(ended_records(both)) == 2 * len(ended_records(stream))
