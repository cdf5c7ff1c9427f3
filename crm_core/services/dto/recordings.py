"""Recording DTOs: what the bridge reports about a MixMonitor file, and what listeners get."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, Field, StringConstraints

from crm_core.services.dto.common import Dto

FileName = Annotated[str, StringConstraints(max_length=255)]


class RecordingStatus(StrEnum):
    RECORDING = "recording"  # MixMonitor is writing it
    STOPPED = "stopped"  # MixMonitor ended; the file is not complete on disk (yet)
    COMPLETE = "complete"
    DELETED = "deleted"  # by retention: `deleted_at`, `deleted_reason`


class Speaker(StrEnum):
    AGENT = "agent"
    CLIENT = "client"


class RecordingPart(StrEnum):
    MIXED = "mixed"  # both directions: what is played
    RECEIVED = "received"  # what the recorded channel's party said
    SENT = "sent"  # what that party heard: the other side


class RecordingStart(Dto):
    """MixMonitor began on a channel of call `linkedid` (names already made safe)."""

    pbx: str = "default"
    linkedid: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    file_name: Annotated[str, StringConstraints(min_length=1, max_length=255)]
    received_file: FileName = ""
    sent_file: FileName = ""
    received_speaker: Speaker | None = None
    sent_speaker: Speaker | None = None
    channel: Annotated[str, StringConstraints(max_length=128)] = ""
    at: AwareDatetime


class RecordingStop(Dto):
    """MixMonitor stopped writing `file_name` (its channel hung up, or StopMixMonitor)."""

    file_name: Annotated[str, StringConstraints(min_length=1, max_length=255)]
    at: AwareDatetime


class RecordingOut(Dto):
    id: int
    linkedid: str
    file_name: str
    status: RecordingStatus
    started_at: datetime
    stopped_at: datetime | None
    size_bytes: int | None = Field(description="known once the file is complete")
    duration_seconds: float | None = Field(description="known once the file is complete")
    received_speaker: str = Field(description="`agent` or `client`: who speaks in `received`")
    sent_speaker: str = Field(description="`agent` or `client`: who speaks in `sent`")
    parts: list[RecordingPart] = Field(description="the files there are: mixed, received, sent")
    deleted_at: datetime | None
    deleted_reason: str


class KeepIn(Dto):
    keep: bool = Field(description="true: retention never deletes this call's recordings")
