"""Contacts: the people behind the cards."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm_core.models.base import Base, UtcDateTime, utcnow
from crm_core.models.company import Company
from crm_core.models.phone import Phone
from crm_core.models.user import User


class Contact(Base):
    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100), default="")
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("companies.id", ondelete="SET NULL"), index=True
    )
    position: Mapped[str] = mapped_column(String(100), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default="lead", index=True)
    source: Mapped[str] = mapped_column(String(100), default="")
    # The call (calls.id) this card was created from; no FK: calls also point at contacts.
    created_from_call_id: Mapped[int | None] = mapped_column(Integer)
    search_text: Mapped[str] = mapped_column(String(900), default="")
    language: Mapped[str] = mapped_column(String(8), default="", server_default="")
    # Who gave the lead its owner and why (lead distribution, migration 0011).
    assignment_reason: Mapped[str] = mapped_column(String(300), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    # A delete archives the card (migration 0008); a merge archives the card merged away and
    # names the card that took its history.
    archived_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    merged_into_id: Mapped[int | None] = mapped_column(Integer)

    company: Mapped[Company | None] = relationship(lazy="raise")
    owner: Mapped[User | None] = relationship(lazy="raise")
    phones: Mapped[list[Phone]] = relationship(
        lazy="raise", order_by=Phone.id, cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()
