"""/api/calls/{id}/recording(s): the list, the audio with HTTP Range, and the "keep" flag."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query
from fastapi.responses import FileResponse

from crm_core.api.deps import ActorDep, IdPath, ServicesDep
from crm_core.api.responses import errors
from crm_core.services.dto import CallOut
from crm_core.services.dto.recordings import KeepIn, RecordingOut, RecordingPart

router = APIRouter(tags=["recordings"], responses=errors(401, 404))
PartQuery = Annotated[RecordingPart, Query(description="mixed (both directions), received or sent")]
DownloadQuery = Annotated[bool, Query(description="as an attachment (supervisors and admins only)")]
AUDIO = {
    200: {"content": {"audio/wav": {}}, "description": "The whole file"},
    206: {"content": {"audio/wav": {}}, "description": "The range asked for (seek)"},
    400: {"content": {"text/plain": {}}, "description": "The Range header is malformed"},
    416: {"content": {"text/plain": {}}, "description": "The range is not inside the file"},
    **errors(403, 409),
}


@router.get("/calls/{call_id}/recordings")
async def list_recordings(
    actor: ActorDep, services: ServicesDep, call_id: IdPath
) -> list[RecordingOut]:
    """The call's recordings, oldest first (one per recorded leg: several after transfers),
    with size and duration once each file is complete."""
    return await services.recordings.list_for_call(actor, call_id)


async def _stream(
    services: ServicesDep, actor: ActorDep, call_id: int, recording_id: int | None,
    part: RecordingPart, download: bool, asked_range: str,
) -> FileResponse:  # fmt: skip
    listening = await services.recordings.open(
        actor, call_id, recording_id, part, download, asked_range
    )
    return FileResponse(
        listening.path, media_type=listening.content_type, filename=listening.download_name,
        headers={"Cache-Control": "private, no-store"},
    )  # fmt: skip


@router.get("/calls/{call_id}/recording", response_class=FileResponse, responses=AUDIO)
async def call_recording(
    actor: ActorDep, services: ServicesDep, call_id: IdPath,
    part: PartQuery = RecordingPart.MIXED, download: DownloadQuery = False,
    range_: Annotated[str, Header(alias="range", max_length=200)] = "",
) -> FileResponse:  # fmt: skip
    """The call's (first) recording: 206 with Range; 404 with `recording_missing` or
    `recording_deleted`, 409 `recording_in_progress` while it is being written."""
    return await _stream(services, actor, call_id, None, part, download, range_)


@router.get(
    "/calls/{call_id}/recordings/{recording_id}", response_class=FileResponse, responses=AUDIO
)
async def one_recording(
    actor: ActorDep, services: ServicesDep, call_id: IdPath, recording_id: IdPath,
    part: PartQuery = RecordingPart.MIXED, download: DownloadQuery = False,
    range_: Annotated[str, Header(alias="range", max_length=200)] = "",
) -> FileResponse:  # fmt: skip
    """One of the call's recordings, as `GET /calls/{call_id}/recording`."""
    return await _stream(services, actor, call_id, recording_id, part, download, range_)


@router.put("/calls/{call_id}/keep", responses=errors(400, 403))
async def keep_recordings(
    actor: ActorDep, services: ServicesDep, call_id: IdPath, body: KeepIn
) -> CallOut:
    """Supervisors and admins: hold the call's recordings back from retention (audited)."""
    return await services.recordings.set_keep(actor, call_id, body.keep)
