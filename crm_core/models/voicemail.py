"""Voicemail messages on the card: one row per message Asterisk kept in its spool (issue 16).

The identity is Asterisk's `msg_id` (`msg_key`), so a restart or a rescan never writes a message
twice; the file's place (`stem`, `audio_file`: relative to CTI_VOICEMAIL_DIR) follows the message
when Asterisk renumbers or moves it (INBOX -> Old). `owner_id`: who calls back (the box's agent,
or for a queue's box who the missed-call rule picks); `task_id`: that one call-back task.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.models.base import Base, UtcDateTime, utcnow


class Voicemail(Base):
    __tablename__ = "voicemails"
    __table_args__ = (
        Index("ix_voicemails_contact_received", "contact_id", "received_at"),
        Index("ix_voicemails_owner_heard", "owner_id", "heard_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    msg_key: Mapped[str] = mapped_column(String(64), unique=True)
    mailbox: Mapped[str] = mapped_column(String(64))
    mailbox_context: Mapped[str] = mapped_column(String(64))
    folder: Mapped[str] = mapped_column(String(16))
    stem: Mapped[str] = mapped_column(String(255))
    audio_file: Mapped[str] = mapped_column(String(255), default="")
    caller_number: Mapped[str] = mapped_column(String(64), default="")
    caller_name: Mapped[str] = mapped_column(String(100), default="")
    external_e164: Mapped[str | None] = mapped_column(String(20), index=True)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    duration_seconds: Mapped[float | None] = mapped_column(Float)
    size_bytes: Mapped[int | None] = mapped_column(BigInteger)
    linkedid: Mapped[str] = mapped_column(String(64), default="", index=True)
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id", ondelete="SET NULL"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="SET NULL"))
    heard_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    heard_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # the message is no longer in the spool (deleted on the phone, or by the box's maxmsg)
    gone_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    listens: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
