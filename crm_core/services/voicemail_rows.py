"""Shared by the voicemail services: a row as its DTO, who may listen, the spool."""

from __future__ import annotations

from sqlalchemy import ColumnElement, true

from crm_core.models import Voicemail
from crm_core.services.dto import Actor
from crm_core.services.dto.voicemails import VoicemailOut


def voicemail_out(row: Voicemail) -> VoicemailOut:
    return VoicemailOut(
        id=row.id, mailbox=row.mailbox, mailbox_context=row.mailbox_context, folder=row.folder,
        caller_number=row.caller_number, caller_name=row.caller_name,
        external_e164=row.external_e164, received_at=row.received_at,
        duration_seconds=row.duration_seconds, size_bytes=row.size_bytes, call_id=row.call_id,
        contact_id=row.contact_id, owner_id=row.owner_id, task_id=row.task_id,
        heard=row.heard_at is not None, heard_at=row.heard_at, heard_by_id=row.heard_by_id,
        playable=bool(row.audio_file) and row.gone_at is None, gone_at=row.gone_at,
    )  # fmt: skip


def voicemails_visible(actor: Actor | None) -> ColumnElement[bool]:
    """Supervisors and admins: every message; an agent: the messages they are to call back
    (their own box's, or a queue box's the call-back rule gave them)."""
    if actor is None or not actor.is_agent:
        return true()
    return Voicemail.owner_id == actor.id
