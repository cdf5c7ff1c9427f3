"""CTI_LOG_FORMAT=json: one JSON object a line, and every line about a call names the call."""

from __future__ import annotations

import dataclasses
import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cti.ami.metrics import Counters
from cti.bus.memory import MemoryBus
from cti.ingest.calllog import CallLogWriter
from cti.logs import JsonFormatter, call_context
from cti.screenpop.publisher import ScreenPopPublisher
from cti.screenpop.registry import PopRegistry
from cti.state.records import CallRinging
from tests.screenpop.test_publisher import BASE

ROOT = Path(__file__).resolve().parents[2]


def parsed(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter("pbx1"))
    root = logging.getLogger()
    root.addHandler(handler)
    yield stream
    root.removeHandler(handler)


async def test_a_failed_card_lookup_names_the_call(captured: io.StringIO) -> None:
    async def broken(_number: str) -> None:
        raise TimeoutError("the CRM hangs")

    publisher = ScreenPopPublisher(MemoryBus(), broken, PopRegistry())
    await publisher.handle([CallRinging(BASE, ("1001",), 1.0)])
    (line,) = [line for line in parsed(captured) if "card lookup" in line["message"]]
    assert line["level"] == "WARNING"
    assert line["linkedid"] == BASE.linkedid
    assert line["call_id"] == f"pbx1:{BASE.linkedid}"


def test_a_call_that_cannot_be_stored_names_the_call(captured: io.StringIO) -> None:
    writer = CallLogWriter(services=None, metrics=Counters())  # type: ignore[arg-type]
    odd = dataclasses.replace(BASE, direction="sideways")  # type: ignore[arg-type]
    assert writer._to_crm(odd) is None
    (line,) = [line for line in parsed(captured) if "cannot be stored" in line["message"]]
    assert line["call_id"] == f"pbx1:{BASE.linkedid}"


def test_lines_inside_a_call_context_name_it_and_others_do_not(captured: io.StringIO) -> None:
    log = logging.getLogger("tests.logs")
    with call_context("1700000000.9"):
        log.warning("about the call")
    log.warning("about nothing in particular")
    about, other = parsed(captured)
    assert about["call_id"] == "pbx1:1700000000.9"
    assert "call_id" not in other
    assert other["message"] == "about nothing in particular"


def test_configure_logging_sends_every_logger_through_one_json_handler() -> None:
    script = (
        "import logging; from cti.logs import configure_logging;"
        "configure_logging('json', 'pbx9');"
        "logging.getLogger('uvicorn.error').warning('server line');"
        "logging.getLogger('cti.x').info('bridge line', extra={'linkedid': '17.1'})"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, check=True, timeout=60)  # fmt: skip
    lines = [json.loads(line) for line in done.stderr.splitlines()]
    assert [line["message"] for line in lines] == ["server line", "bridge line"]
    assert lines[1]["call_id"] == "pbx9:17.1"
    assert lines[0]["logger"] == "uvicorn.error"
