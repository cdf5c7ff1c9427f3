"""A call's recordings: one row per MixMonitor file (several after transfers), linked by linkedid.

A row is written when Asterisk starts recording (before the call's own row may exist, so the link
is the linkedid, not a foreign key). `status` goes recording -> stopped (MixMonitor ended, the
file not yet complete on disk) -> complete (size and duration probed) -> deleted (retention).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Float, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.models.base import Base, UtcDateTime


class CallRecording(Base):
    __tablename__ = "call_recordings"
    __table_args__ = (Index("ix_call_recordings_pbx_linkedid", "pbx", "linkedid"),)  # 0018

    id: Mapped[int] = mapped_column(primary_key=True)
    pbx: Mapped[str] = mapped_column(String(32), default="default", server_default="default")
    linkedid: Mapped[str] = mapped_column(String(64))
    # file names inside the recordings directory: the mix (what is played), and the audio the
    # recorded channel received (its own party speaking) and was sent (the other party)
    file_name: Mapped[str] = mapped_column(String(255), unique=True)
    received_file: Mapped[str] = mapped_column(String(255), default="")
    sent_file: Mapped[str] = mapped_column(String(255), default="")
    received_speaker: Mapped[str] = mapped_column(String(16), default="")
    sent_speaker: Mapped[str] = mapped_column(String(16), default="")
    channel: Mapped[str] = mapped_column(String(128), default="")
    status: Mapped[str] = mapped_column(String(16), index=True)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    stopped_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    size_bytes: Mapped[int | None] = mapped_column(BigInteger)
    duration_seconds: Mapped[float | None] = mapped_column(Float)
    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    deleted_reason: Mapped[str] = mapped_column(String(64), default="")
