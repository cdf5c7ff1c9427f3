"""Users of the CRM (agents, supervisors, admins) and their phone extensions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm_core.models.base import Base, UtcDateTime, utcnow


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The interface language the user chose ("sk", "en"); None: the browser's language.
    language: Mapped[str | None] = mapped_column(String(16), default=None)
    # Moved by a password change or a deactivation: tokens carrying an older epoch are refused.
    # The PBX the user's extensions are on (migration 0018; CTI_PBXS names them).
    pbx: Mapped[str] = mapped_column(String(32), default="default", server_default="default")
    token_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    extensions: Mapped[list[UserExtension]] = relationship(
        cascade="all, delete-orphan", lazy="raise", order_by="UserExtension.extension"
    )


class UserExtension(Base):
    __tablename__ = "user_extensions"

    pbx: Mapped[str] = mapped_column(String(32), primary_key=True, server_default="default")
    extension: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
