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
