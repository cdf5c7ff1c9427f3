"""The live transcript's frames on `/ws/agent` (the agent whose call it is) and `/ws/supervisor`
(every supervisor: the listen-in view shows the call's). docs/asyncapi.yaml describes them."""

from __future__ import annotations

from typing import Any, Literal

Speaker = Literal["agent", "caller"]
StopReason = Literal["stream_failed", "decoder_failed", "fell_behind", "capacity", "not_started"]
Message = dict[str, Any]


def live_line(linkedid: str, extension: str, speaker: Speaker, line: Message) -> Message:
    """A line as it is being said (`final` false: the words so far) or once its speaker paused."""
    final = line["kind"] == "final"
    frame: Message = {
        "type": "live_transcript", "linkedid": linkedid, "agent": extension, "speaker": speaker,
        "utterance": int(line["utt"]), "text": str(line["text"]), "final": final,
    }  # fmt: skip
    if final:
        frame["start_ms"] = round(1000 * float(line["start"]))
        frame["end_ms"] = round(1000 * float(line["end"]))
    return frame


def live_stopped(
    linkedid: str, extension: str, speaker: Speaker | None, reason: StopReason, detail: str = ""
) -> Message:
    """The live transcript stopped (or never started) while the call goes on."""
    return {
        "type": "live_transcript_stopped", "linkedid": linkedid, "agent": extension,
        "speaker": speaker, "reason": reason, "detail": detail,
    }  # fmt: skip
