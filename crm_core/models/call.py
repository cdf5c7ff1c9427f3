"""Calls: one record per business call, keyed by the PBX and its Asterisk linkedid."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.models.base import Base, UtcDateTime


class Call(Base):
    __tablename__ = "calls"
    __table_args__ = (
        Index("ix_calls_contact_started", "contact_id", "started_at"),
        Index("ix_calls_company_started", "company_id", "started_at"),
        Index("ix_calls_agent_started", "agent_id", "started_at"),
        Index("ix_calls_queue_started", "queue", "started_at"),  # migration 0003: reports
        Index("ix_calls_answered_by_started", "answered_by", "started_at"),
        Index("ix_calls_wrapup_code_started", "wrapup_code", "started_at"),  # migration 0012
        UniqueConstraint("pbx", "linkedid", name="uq_calls_pbx"),  # migration 0018
        Index("ix_calls_pbx_started", "pbx", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # the PBX the call was on (migration 0018): linkedids of two PBXs may collide
    pbx: Mapped[str] = mapped_column(String(32), default="default", server_default="default")
    linkedid: Mapped[str] = mapped_column(String(64))
    direction: Mapped[str] = mapped_column(String(16))
    caller: Mapped[str] = mapped_column(String(64), default="")
    callee: Mapped[str] = mapped_column(String(64), default="")
    external_e164: Mapped[str | None] = mapped_column(String(20), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id", ondelete="SET NULL"))
    # The agent the call belongs to: who answered (inbound/internal) or who dialled (outbound).
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    queue: Mapped[str] = mapped_column(String(64), default="")
    agents_rang: Mapped[list[str]] = mapped_column(JSON, default=list)
    answered_by: Mapped[str] = mapped_column(String(64), default="")
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    wait_seconds: Mapped[int] = mapped_column(Integer, default=0)
    talk_seconds: Mapped[int] = mapped_column(Integer, default=0)
    disposition: Mapped[str | None] = mapped_column(String(32), index=True)
    recording: Mapped[str] = mapped_column(String(500), default="")
    routing_reason: Mapped[str] = mapped_column(String(200), default="")
    transfers: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # Facts filled in after the bridge missed part of the call (a restart, an AMI gap); `note`
    # says what is unknown.
    reconstructed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    note: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # Queue call-back (migration 0010): when the caller joined the queue, and on a call-back
    # call the linkedid of the call whose caller asked for it.
    queued_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    callback_of: Mapped[str] = mapped_column(String(64), default="", server_default="", index=True)
    # The wrap-up code the agent picked (models/wrapup.py), apart from `disposition` (the
    # telephony outcome); the label as it was then. Never written by the bridge's upserts.
    wrapup_code: Mapped[str | None] = mapped_column(String(32))
    wrapup_label: Mapped[str] = mapped_column(String(100), default="", server_default="")
    # A supervisor's or admin's hold on the call's recordings: retention never deletes them
    # (migration 0014). Never written by the bridge's upserts.
    keep_recordings: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
