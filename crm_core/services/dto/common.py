"""DTOs shared by every service: the acting user, pages, short references."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from crm_core.models.enums import Role

T = TypeVar("T")


def known_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {value!r}") from exc
    return value


TimeZoneName = Annotated[str, AfterValidator(known_zone)]


class Dto(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Actor(Dto):
    """Who is doing something: a logged-in user, or the system (the CTI bridge, the importer)."""

    model_config = ConfigDict(frozen=True)

    id: int | None
    login: str
    role: Role

    @classmethod
    def system(cls, login: str = "system") -> Actor:
        return cls(id=None, login=login, role=Role.ADMIN)

    @property
    def is_agent(self) -> bool:
        return self.role == Role.AGENT


class Page(Dto, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


class PageParams(Dto):
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class UserBrief(Dto):
    id: int
    login: str
    display_name: str


class CompanyBrief(Dto):
    id: int
    name: str
