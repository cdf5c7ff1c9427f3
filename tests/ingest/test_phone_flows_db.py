"""The flows the phones make themselves (SIP REFER transfers, 302 forwards, directed pickup, call
waiting, hold), recorded for real: through the bridge's own pipeline into the database, each
call is stored once, ended, with the record the scenario expects."""

from __future__ import annotations

from typing import Any

import pytest

from crm_core.services import Services
from crm_core.services.dto import Actor, CallFilter
from cti.sandbox.sim.phone_flows import PHONE_FLOWS
from cti.sandbox.sim.phone_transfers import PHONE_TRANSFERS
from tests.gap.test_settle_db import run_bridge, stored_facts
from tests.state.scenarios import load, scenario_names

NAMES = [s.name for s in (*PHONE_TRANSFERS, *PHONE_FLOWS) if s.name in scenario_names()]


def expected_facts(record: dict[str, Any]) -> dict[str, Any]:
    transfers = [(t["kind"], t["from"], t["to"]) for t in record["transfers"]]
    return {key: record[key] for key in stored_facts_keys()} | {"transfers": transfers}


def stored_facts_keys() -> tuple[str, ...]:
    return ("direction", "caller", "callee", "queue", "agents_rang", "answered_by", "disposition")


@pytest.mark.parametrize("name", NAMES)
async def test_recorded_flow_lands_in_the_database(services: Services, name: str) -> None:
    scenario = load(name)
    await run_bridge(services, scenario.events, cel=None, restore=False)
    page = await services.calls.list(Actor.system("test"), CallFilter(limit=50))
    stored = {call.linkedid: call for call in page.items}
    assert set(stored) == {record["linkedid"] for record in scenario.expected}
    for record in scenario.expected:
        call = stored[record["linkedid"]]
        assert stored_facts(call) == expected_facts(record), name
        assert call.ended_at is not None
    assert (await services.call_states.load()).states == []
