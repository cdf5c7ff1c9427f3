"""Voicemail for people: a card's messages, listening (HTTP Range, audited), marking heard.

Who may listen: the message's owner (the agent whose box it is, or whom the call-back went to),
supervisors and admins; anyone else gets a 404, as for a call they may not see. Downloads are
for supervisors and admins (403). Every request for the audio is audited with the range asked
for; the first listen marks the message heard (by whom, when), as `PUT .../heard` does.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.errors import NotFoundError
from crm_core.models import Voicemail
from crm_core.models.enums import AuditAction
from crm_core.recordings.files import content_type
from crm_core.services.audit import record
from crm_core.services.base import STAFF, ServiceBase, require_role
from crm_core.services.contacts import require_live_contact
from crm_core.services.dto import Actor
from crm_core.services.dto.voicemails import VoicemailOut
from crm_core.services.recordings import Listening
from crm_core.services.voicemail_rows import voicemail_out, voicemails_visible
from crm_core.voicemail.spool import VoicemailSpool


class VoicemailMissingError(NotFoundError):
    """The message is known but its audio is not in the spool (deleted on a phone, moved)."""

    def __init__(self, voicemail_id: int, why: str) -> None:
        super().__init__("voicemail", voicemail_id)
        self.code = "voicemail_missing"
        self.args = (f"voicemail {voicemail_id}: {why}",)


class VoicemailService(ServiceBase):
    @property
    def spool(self) -> VoicemailSpool:
        return VoicemailSpool(self._settings.voicemail_dir)

    async def _visible(self, session: AsyncSession, actor: Actor, voicemail_id: int) -> Voicemail:
        row = await session.scalar(
            select(Voicemail).where(Voicemail.id == voicemail_id, voicemails_visible(actor))
        )
        if row is None:
            raise NotFoundError("voicemail", voicemail_id)
        return row

    async def list_for_contact(self, actor: Actor, contact_id: int) -> list[VoicemailOut]:
        """The card's messages the actor may hear, newest first."""
        async with self._sessions() as session:
            await require_live_contact(session, contact_id)
            rows = await session.scalars(
                select(Voicemail)
                .where(Voicemail.contact_id == contact_id, voicemails_visible(actor))
                .order_by(Voicemail.received_at.desc(), Voicemail.id.desc())
                .limit(200)
            )
            return [voicemail_out(row) for row in rows]

    async def get(self, actor: Actor, voicemail_id: int) -> VoicemailOut:
        async with self._sessions() as session:
            return voicemail_out(await self._visible(session, actor, voicemail_id))

    async def open(
        self, actor: Actor, voicemail_id: int, download: bool, asked_range: str
    ) -> Listening:
        """The audio to stream, audited as a listen (the first marks it heard) or a download."""
        if download:
            require_role(actor, *STAFF)
        async with self._sessions.begin() as session:
            row = await self._visible(session, actor, voicemail_id)
            path = self._audio(row)
            now = datetime.now(UTC)
            action = AuditAction.DOWNLOAD if download else AuditAction.LISTEN
            record(session, actor, action, "voicemails", row.id,
                   {"mailbox": row.mailbox, "range": asked_range})  # fmt: skip
            row.listens += 1
            if not download and row.heard_at is None:
                self._hear(session, actor, row, True, now)
        name = f"voicemail-{row.mailbox}-{row.received_at:%Y%m%d-%H%M%S}{path.suffix}"
        return Listening(path, content_type(path.name), name if download else None)

    def _audio(self, row: Voicemail) -> Path:
        if row.gone_at is not None or not row.audio_file:
            raise VoicemailMissingError(row.id, "the message is no longer in the voicemail spool")
        path = self.spool.path_of(row.audio_file)
        if path is None or not path.is_file():
            raise VoicemailMissingError(
                row.id, f"no file {row.audio_file!r} in the voicemail directory"
            )
        return path

    async def set_heard(self, actor: Actor, voicemail_id: int, heard: bool) -> VoicemailOut:
        async with self._sessions.begin() as session:
            row = await self._visible(session, actor, voicemail_id)
            if (row.heard_at is not None) != heard:
                self._hear(session, actor, row, heard, datetime.now(UTC))
            await session.flush()
            return voicemail_out(row)

    def _hear(
        self, session: AsyncSession, actor: Actor, row: Voicemail, heard: bool, now: datetime
    ) -> None:
        record(session, actor, AuditAction.UPDATE, "voicemails", row.id,
               {"heard": [row.heard_at is not None, heard]})  # fmt: skip
        row.heard_at = now if heard else None
        row.heard_by_id = actor.id if heard else None
