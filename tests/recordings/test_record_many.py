"""What the bridge saw of many recordings at once is written in one transaction: new rows in
one statement, a start and its stop in the same batch give one stopped row."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import event, select

from crm_core.models import CallRecording
from crm_core.services import Services
from crm_core.services.dto.recordings import RecordingStart, RecordingStop

AT = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


async def test_a_batch_of_starts_and_stops_is_one_insert(services: Services) -> None:
    starts = [RecordingStart(linkedid=f"L{i}", file_name=f"L{i}.wav", at=AT) for i in range(10)]
    stops = [RecordingStop(file_name=f"L{i}.wav", at=AT + timedelta(seconds=30)) for i in range(5)]
    inserts: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO CALL_RECORDINGS"):
            inserts.append(statement)

    engine = services.engine.sync_engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        assert await services.recording_log.record_many([*starts, *stops]) == 15
        assert await services.recording_log.record_many(starts) == 0  # a replay
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert len(inserts) == 1
    async with services.sessions() as session:
        rows = {r.file_name: r for r in await session.scalars(select(CallRecording))}
    assert len(rows) == 10
    assert rows["L0.wav"].status == "stopped"
    assert rows["L0.wav"].pbx == "default"
    assert rows["L9.wav"].status == "recording"
    assert rows["L9.wav"].stopped_at is None
