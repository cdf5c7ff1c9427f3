"""What the CTI bridge's call tracker knew of each open call, kept so a restart resumes it.

The state is the tracker's own JSON (opaque here). A row is removed in the same transaction
that stores the call's end, so a call is either ended in `calls` or still has its state here.
`ingest_cursors` keeps the Asterisk time of the last event the stored states include: after a
restart, what Asterisk logged since then (CEL) is what the bridge missed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Float, String
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.models.base import Base, UtcDateTime


class OpenCallState(Base):
    __tablename__ = "open_call_states"

    pbx: Mapped[str] = mapped_column(String(32), primary_key=True, server_default="default")
    linkedid: Mapped[str] = mapped_column(String(64), primary_key=True)
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class IngestCursor(Base):
    __tablename__ = "ingest_cursors"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    event_time: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class IngestLease(Base):
    """The fencing epoch of an ingest lease (cti.ingest.lease): each acquisition adds one to
    `token`; a call log or state write carrying an older token is refused (services.fencing)."""

    __tablename__ = "ingest_leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    token: Mapped[int] = mapped_column(BigInteger)
    holder: Mapped[str] = mapped_column(String(200))
    since: Mapped[datetime] = mapped_column(UtcDateTime)
