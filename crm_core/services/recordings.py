"""Call recordings for people: the list on a call, opening one to listen, and the "keep" flag.

Who may listen follows the call rule (card_rights): supervisors and admins any call; an agent a
call of theirs or one they were on (answered, or a transfer's end); another's call is a 404.
Downloads are for supervisors and admins. Every listen and download is audited, with the range
asked for: a player seeking asks again, and each request is one audit row.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.errors import ConflictError, NotFoundError
from crm_core.models import Call, CallRecording
from crm_core.models.enums import AuditAction
from crm_core.recordings.files import RecordingFiles, content_type
from crm_core.services.audit import record
from crm_core.services.base import STAFF, ServiceBase, require_role
from crm_core.services.dto import Actor, CallOut
from crm_core.services.dto.recordings import RecordingOut, RecordingPart, RecordingStatus
from crm_core.services.recording_rows import may_listen, recording_out, refresh_probe


class RecordingUnavailableError(NotFoundError):
    """The recording is known but cannot be played: deleted, or its file is not there."""

    def __init__(self, recording_id: int, code: str, why: str) -> None:
        super().__init__("recording", recording_id)
        self.code = code
        self.args = (f"recording {recording_id}: {why}",)


@dataclass(frozen=True, slots=True)
class Listening:
    path: Path
    content_type: str
    download_name: str | None


def _file_of(row: CallRecording, part: RecordingPart) -> str:
    names = {
        RecordingPart.MIXED: row.file_name,
        RecordingPart.RECEIVED: row.received_file,
        RecordingPart.SENT: row.sent_file,
    }
    return names[part]


def _check_playable(row: CallRecording, files: RecordingFiles) -> None:
    if row.status == RecordingStatus.DELETED:
        raise RecordingUnavailableError(row.id, "recording_deleted", "deleted by retention")
    path = files.path_of(row.file_name)
    if path is None or not path.is_file():
        raise RecordingUnavailableError(
            row.id, "recording_missing", f"no file {row.file_name!r} in the recordings directory"
        )
    if row.status != RecordingStatus.COMPLETE:
        raise ConflictError(
            f"recording {row.id} is still being written", code="recording_in_progress"
        )


class RecordingService(ServiceBase):
    @property
    def files(self) -> RecordingFiles:
        return RecordingFiles(self._settings.recordings_dir)

    async def _call(self, session: AsyncSession, actor: Actor, call_id: int) -> Call:
        call = await session.get(Call, call_id)
        if call is None or not await may_listen(session, actor, call):
            raise NotFoundError("call", call_id)
        return call

    async def _rows(self, session: AsyncSession, call: Call) -> list[CallRecording]:
        rows = await session.scalars(
            select(CallRecording)
            .where(CallRecording.linkedid == call.linkedid, CallRecording.pbx == call.pbx)
            .order_by(CallRecording.started_at, CallRecording.id)
        )
        return list(rows)

    async def list_for_call(self, actor: Actor, call_id: int) -> list[RecordingOut]:
        """The call's recordings, oldest first; a file not yet complete is probed again."""
        async with self._sessions.begin() as session:
            call = await self._call(session, actor, call_id)
            rows = await self._rows(session, call)
            for row in rows:
                refresh_probe(row, self.files)
            return [recording_out(row, call.direction) for row in rows]

    async def open(
        self, actor: Actor, call_id: int, recording_id: int | None, part: RecordingPart,
        download: bool, asked_range: str,
    ) -> Listening:  # fmt: skip
        """The file to stream (the call's first recording when `recording_id` is None),
        audited as a listen or a download."""
        if download:
            require_role(actor, *STAFF)
        async with self._sessions.begin() as session:
            row = await self._pick(session, await self._call(session, actor, call_id), recording_id)
            refresh_probe(row, self.files)
            _check_playable(row, self.files)
            path = self._existing(row, _file_of(row, part))
            action = AuditAction.DOWNLOAD if download else AuditAction.LISTEN
            record(session, actor, action, "call_recordings", row.id,
                   {"call_id": call_id, "part": part.value, "range": asked_range})  # fmt: skip
        return Listening(path, content_type(path.name), path.name if download else None)

    async def _pick(
        self, session: AsyncSession, call: Call, recording_id: int | None
    ) -> CallRecording:
        rows = await self._rows(session, call)
        if recording_id is None:
            live = [row for row in rows if row.status != RecordingStatus.DELETED]
            rows = live or rows
        else:
            rows = [row for row in rows if row.id == recording_id]
        if not rows:
            raise NotFoundError("recording of call", call.id)
        return rows[0]

    def _existing(self, row: CallRecording, name: str) -> Path:
        path = self.files.path_of(name) if name else None
        if path is None or not path.is_file():
            raise RecordingUnavailableError(
                row.id, "recording_missing", f"no file {name!r} in the recordings directory"
            )
        return path

    async def set_keep(self, actor: Actor, call_id: int, keep: bool) -> CallOut:
        """Hold the call's recordings back from retention (or release them); audited."""
        require_role(actor, *STAFF)
        async with self._sessions.begin() as session:
            call = await session.get(Call, call_id)
            if call is None:
                raise NotFoundError("call", call_id)
            if call.keep_recordings != keep:
                record(session, actor, AuditAction.UPDATE, "calls", call.id,
                       {"keep_recordings": [call.keep_recordings, keep]})  # fmt: skip
                call.keep_recordings = keep
            await session.flush()
            return CallOut.model_validate(call)
