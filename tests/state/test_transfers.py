"""Phone-made attended transfer (REFER) and call pickup, as hand-written streams."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.state.flows_transfer import Flow, pickup_by_colleague, refer_attended_transfer
from tests.state.helpers import ended_records
from tests.state.scenarios import matches


@pytest.mark.parametrize("flow", [refer_attended_transfer, pickup_by_colleague])
def test_records(flow: Callable[[], Flow]) -> None:
    stream, expected = flow()
    records = [r.as_dict() for r in ended_records(stream.events)]
    assert len(records) == len(expected)
    for record, wanted in zip(records, expected, strict=True):
        assert matches(record, wanted), {k: record[k] for k in wanted}
