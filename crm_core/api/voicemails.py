"""Voicemail on the card: a card's messages, one message, its audio (HTTP Range), heard."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query
from fastapi.responses import FileResponse

from crm_core.api.deps import ActorDep, IdPath, ServicesDep
from crm_core.api.recordings import AUDIO
from crm_core.api.responses import errors
from crm_core.services.dto.voicemails import HeardIn, VoicemailOut

router = APIRouter(tags=["voicemail"], responses=errors(401, 404))
DownloadQuery = Annotated[bool, Query(description="as an attachment (supervisors and admins only)")]


@router.get("/contacts/{contact_id}/voicemails")
async def contact_voicemails(
    actor: ActorDep, services: ServicesDep, contact_id: IdPath
) -> list[VoicemailOut]:
    """The card's voicemail messages the user may hear (their own box's, or all for
    supervisors and admins), newest first."""
    return await services.voicemails.list_for_contact(actor, contact_id)


@router.get("/voicemails/{voicemail_id}")
async def one_voicemail(
    actor: ActorDep, services: ServicesDep, voicemail_id: IdPath
) -> VoicemailOut:
    """One message; another agent's is a 404."""
    return await services.voicemails.get(actor, voicemail_id)


@router.get("/voicemails/{voicemail_id}/audio", response_class=FileResponse, responses=AUDIO)
async def voicemail_audio(
    actor: ActorDep, services: ServicesDep, voicemail_id: IdPath,
    download: DownloadQuery = False,
    range_: Annotated[str, Header(alias="range", max_length=200)] = "",
) -> FileResponse:  # fmt: skip
    """The message's audio: 206 with Range; 404 `voicemail_missing` when it is no longer in
    the spool. Every request is audited; the first listen marks the message heard."""
    listening = await services.voicemails.open(actor, voicemail_id, download, range_)
    return FileResponse(
        listening.path, media_type=listening.content_type, filename=listening.download_name,
        headers={"Cache-Control": "private, no-store"},
    )  # fmt: skip


@router.put("/voicemails/{voicemail_id}/heard", responses=errors(400))
async def mark_heard(
    actor: ActorDep, services: ServicesDep, voicemail_id: IdPath, body: HeardIn
) -> VoicemailOut:
    """Mark the message heard (or unheard again); audited."""
    return await services.voicemails.set_heard(actor, voicemail_id, body.heard)
