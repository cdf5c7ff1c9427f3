"""Loading a user row with its extensions, and turning it into the UserOut DTO."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from crm_core.models import User
from crm_core.services.dto import UserOut


def to_user_out(user: User) -> UserOut:
    return UserOut.model_validate(
        {
            **{key: getattr(user, key) for key in UserOut.model_fields if key != "extensions"},
            "extensions": [item.extension for item in user.extensions],
        }
    )


async def load_user(session: AsyncSession, **where: object) -> User | None:
    statement = select(User).options(selectinload(User.extensions)).filter_by(**where)
    return await session.scalar(statement)
