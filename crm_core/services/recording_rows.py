"""Shared by the recording services: a row as its DTO, probing a row's file, who may listen."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.models import Call, CallRecording, UserExtension
from crm_core.recordings.files import RecordingFiles
from crm_core.recordings.probe import probe
from crm_core.services.dto import Actor
from crm_core.services.dto.recordings import (
    RecordingOut,
    RecordingPart,
    RecordingStatus,
    Speaker,
)


def recording_out(row: CallRecording, direction: str = "") -> RecordingOut:
    """`direction`: the call's; on an internal call both sides are agents."""
    parts = [RecordingPart.MIXED]
    if row.received_file:
        parts.append(RecordingPart.RECEIVED)
    if row.sent_file:
        parts.append(RecordingPart.SENT)
    return RecordingOut(
        id=row.id, linkedid=row.linkedid, file_name=row.file_name,
        status=RecordingStatus(row.status), started_at=row.started_at, stopped_at=row.stopped_at,
        size_bytes=row.size_bytes, duration_seconds=row.duration_seconds,
        received_speaker=row.received_speaker,
        sent_speaker=Speaker.AGENT.value if direction == "internal" else row.sent_speaker,
        parts=[] if row.status == RecordingStatus.DELETED else parts,
        deleted_at=row.deleted_at, deleted_reason=row.deleted_reason,
    )  # fmt: skip


def refresh_probe(row: CallRecording, files: RecordingFiles) -> bool:
    """Probe the mixed file of a row not yet complete; True when it now is (row updated)."""
    if row.status not in (RecordingStatus.RECORDING, RecordingStatus.STOPPED):
        return False
    path = files.path_of(row.file_name)
    found = None if path is None else probe(path)
    if found is None or not found.complete:
        return False
    row.status = RecordingStatus.COMPLETE.value
    row.size_bytes = found.size_bytes
    row.duration_seconds = found.duration_seconds
    row.received_file = _if_there(row.received_file, files)
    row.sent_file = _if_there(row.sent_file, files)
    return True


def _if_there(name: str, files: RecordingFiles) -> str:
    """A direction's file name, or "" when the dialplan did not record that direction."""
    path = files.path_of(name) if name else None
    return name if path is not None and path.is_file() else ""


def participants(call: Call) -> set[str]:
    """The agents who were on the call: who answered, and each transfer's ends."""
    ends = {call.answered_by}
    for transfer in call.transfers:
        ends.update(str(transfer.get(key) or "") for key in ("from", "to"))
    return ends - {""}


async def may_listen(session: AsyncSession, actor: Actor, call: Call) -> bool:
    """Supervisors and admins: any call; an agent: a call of theirs, or one they were on."""
    if not actor.is_agent or call.agent_id == actor.id:
        return True
    extensions = await session.scalars(
        select(UserExtension.extension).where(UserExtension.user_id == actor.id)
    )
    return bool(set(extensions) & participants(call))
