"""The recordings stage: the watch's notes become the call's recording rows, idempotently."""

from __future__ import annotations

from crm_core.services import Services
from cti.ami.metrics import Counters
from cti.recordings.linker import RecordingLinker
from cti.recordings.watch import RecordingBegan, RecordingEnded
from tests.crm_core.conftest import SYSTEM, call_record
from tests.recordings.wav import write_wav


async def test_began_then_ended_links_a_complete_recording(services: Services) -> None:
    call = await services.calls.register(SYSTEM, call_record("k1", direction="outbound"))
    root = services.settings.recordings_dir
    linker = RecordingLinker(services.recording_log, Counters())
    began = RecordingBegan("k1", "PJSIP/1001-0001", "k1.wav", "k1-rx.wav", "k1-tx.wav", True, 1e9)
    await linker.handle([began, began])  # a replay writes no second row
    write_wav(root / "k1.wav", 0.5)
    write_wav(root / "k1-rx.wav", 0.5)
    await linker.handle([RecordingEnded(("k1.wav", "unknown.wav"), 1e9 + 5)])
    (out,) = await services.recordings.list_for_call(SYSTEM, call.id)
    assert (out.status, out.duration_seconds, out.parts) == ("complete", 0.5, ["mixed", "received"])
    assert (out.received_speaker, out.sent_speaker) == ("agent", "client")
    assert out.stopped_at is not None
    assert out.stopped_at.timestamp() == 1e9 + 5


async def test_a_backlog_of_notes_is_written_together_as_one_by_one(services: Services) -> None:
    """The stage merges a backlog: starts and stops of many recordings in one transaction give
    what they give one by one (a replayed start keeps one row, a stop of an unknown file is
    nothing, a start and its stop in the same batch end stopped and probed)."""
    root = services.settings.recordings_dir
    linker = RecordingLinker(services.recording_log, Counters())
    calls = [
        await services.calls.register(SYSTEM, call_record(f"b{n}", direction="outbound"))
        for n in range(3)
    ]
    notes: list[RecordingBegan | RecordingEnded] = [
        RecordingBegan(f"b{n}", "PJSIP/1001-01", f"b{n}.wav", f"b{n}-rx.wav", "", True, 1e9 + n)
        for n in range(3)
    ]
    write_wav(root / "b0.wav", 0.5)
    notes += [notes[1], RecordingEnded(("b0.wav", "gone.wav"), 1e9 + 9)]
    await linker.handle(notes)
    await linker.handle([notes[0], RecordingEnded(("b2.wav",), 1e9 + 10)])  # a replay, a stop
    states = {}
    for call in calls:
        rows = await services.recordings.list_for_call(SYSTEM, call.id)
        states[call.linkedid] = [(r.status, r.stopped_at is not None) for r in rows]
    assert states == {
        "b0": [("complete", True)], "b1": [("recording", False)], "b2": [("stopped", True)],
    }  # fmt: skip
