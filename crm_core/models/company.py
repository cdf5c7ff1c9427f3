"""Companies: the organisation a contact works for."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm_core.models.base import Base, UtcDateTime, utcnow
from crm_core.models.phone import Phone
from crm_core.models.user import User


class Company(Base):
    __tablename__ = "companies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    search_text: Mapped[str] = mapped_column(String(600), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    archived_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # a delete archives it

    owner: Mapped[User | None] = relationship(lazy="raise")
    phones: Mapped[list[Phone]] = relationship(
        lazy="raise", order_by=Phone.id, cascade="all, delete-orphan", passive_deletes=True
    )
