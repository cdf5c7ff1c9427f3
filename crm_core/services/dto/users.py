"""User and authentication DTOs."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from crm_core.models.enums import Role
from crm_core.services.dto.calls import DEFAULT_PBX, PbxName
from crm_core.services.dto.common import Dto, Unchanged

Login = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64, pattern=r"^\S+$")
]
Password = Annotated[str, StringConstraints(min_length=4, max_length=256)]
Extension = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32, pattern=r"^\w+$")
]


class UserCreate(Dto):
    login: Login
    password: Password
    role: Role = Role.AGENT
    display_name: Annotated[str, StringConstraints(max_length=200)] = ""
    extensions: list[Extension] = Field(default_factory=list, max_length=10)
    pbx: PbxName = Field(DEFAULT_PBX, description="the PBX the extensions are on (CTI_PBXS)")


class UserUpdate(Dto):
    password: Unchanged[Password] = None
    role: Unchanged[Role] = None
    display_name: Unchanged[Annotated[str, StringConstraints(max_length=200)]] = None
    extensions: Unchanged[Annotated[list[Extension], Field(max_length=10)]] = None
    active: Unchanged[bool] = None
    pbx: Unchanged[PbxName] = None


Language = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, max_length=16, pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
    ),
]
"""A BCP 47 language tag: "sk", "en", "en-GB"."""


class PreferencesUpdate(Dto):
    """The signed-in user's own settings: `language` null goes back to the browser's language."""

    language: Language | None


class UserOut(Dto):
    id: int
    login: str
    display_name: str
    role: Role
    extensions: list[str]
    pbx: str = Field(DEFAULT_PBX, description="the PBX the extensions are on")
    active: bool
    created_at: datetime
    language: str | None = Field(
        default=None, description="The interface language chosen; null: the browser's"
    )


class StaffName(Dto):
    """Who answers on an extension: the name every page shows for that agent."""

    extension: str
    user_id: int
    login: str
    display_name: str


class LoginRequest(Dto):
    login: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=256)]


class LoginResult(Dto):
    access_token: str
    token_type: str = "bearer"
    user: UserOut
