"""DTOs shared by every service: the acting user, pages, short references."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any, Generic, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue, SkipJsonSchema
from pydantic_core import PydanticCustomError, core_schema

from crm_core.models.enums import Role

T = TypeVar("T")

DB_INT_MAX = 2**31 - 1
"""The largest value of an INTEGER column on PostgreSQL: ids, offsets and counts stay below."""
RecordId = Annotated[int, Field(ge=1, le=DB_INT_MAX)]
NO_NUL = r"^[^\x00]*$"
"""A pattern for free text in a query string: PostgreSQL's text cannot hold NUL."""
ZONE_NAMES = sorted(available_timezones() | {"UTC"})
_SURROGATE = re.compile("[\ud800-\udfff]")
INVISIBLE_CATEGORIES = ("Cc", "Cf", "Zs", "Zl", "Zp")
"""Controls, format characters (zero-width, BOM, direction marks) and separators: nothing a
person sees. Unassigned and private-use code points are not among them (a font may draw them)."""
INVISIBLE_CLASS = (
    r"\x00-\x20\x7f-\xa0\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u1680\u180e"
    r"\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u206f\u3000\ufeff\ufff9-\ufffb"
    r"\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    r"\U000e0001\U000e0020-\U000e007f"
)
"""INVISIBLE_CATEGORIES as a regular-expression class (this Python's Unicode tables; a test
keeps the two equal)."""
_VISIBLE_CHAR = re.compile(f"[^{INVISIBLE_CLASS}]")


def visible_or_empty(value: str) -> str:
    """Text that a person can see: refused when it is made of invisible characters only
    (zero-width space, BOM, NUL, direction marks ...); edge ones are trimmed."""
    if value and not _VISIBLE_CHAR.search(value):
        raise PydanticCustomError("invisible_only", "is made of invisible characters only")
    return value.strip("".join(ch for ch in set(value) if _invisible(ch)))


def _invisible(ch: str) -> bool:
    return unicodedata.category(ch) in INVISIBLE_CATEGORIES


class _Visible:
    """visible_or_empty as a validator, and told in the OpenAPI document as a pattern (empty,
    or one visible character), so the schema says what the server accepts."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(visible_or_empty, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema["pattern"] = f"^$|[^{INVISIBLE_CLASS}]"
        return json_schema


VisibleText = _Visible()
"""Add to a text field's Annotated: names, subjects, notes."""


def known_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise PydanticCustomError(
            "unknown_time_zone", "unknown time zone {zone}", {"zone": repr(value)}
        ) from exc
    return value


TimeZoneName = Annotated[
    str, AfterValidator(known_zone), Field(json_schema_extra={"enum": ZONE_NAMES})
]


def _refuse_null(value: object) -> object:
    if value is None:
        raise PydanticCustomError(
            "null_not_allowed", "leave the field out to keep its value; null is not a value here"
        )
    return value


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


Unchanged = Annotated[
    T | SkipJsonSchema[None], BeforeValidator(_refuse_null), Field(json_schema_extra=_no_default)
]
"""A field of a partial update: left out keeps the value; the schema and the API refuse null."""


def _nul_free(value: Any) -> Any:
    if isinstance(value, str) and "\x00" in value:
        raise PydanticCustomError("nul_character", "text may not contain NUL characters")
    if isinstance(value, str) and _SURROGATE.search(value):
        raise PydanticCustomError(
            "lone_surrogate", "text may not contain lone surrogates (not valid Unicode)"
        )
    if isinstance(value, dict):
        for item in value.values():
            _nul_free(item)
    elif isinstance(value, list):
        for item in value:
            _nul_free(item)
    return value


def without_unstorable(value: Any) -> Any:
    """The same data with NUL and lone surrogates dropped from every text in it."""
    if isinstance(value, str):
        return _SURROGATE.sub("", value.replace("\x00", ""))
    if isinstance(value, dict):
        return {key: without_unstorable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [without_unstorable(item) for item in value]
    return value


class Dto(BaseModel):
    # An answer always holds every field (defaults too): the OpenAPI document says so, and the
    # page's generated types (web_softphone/src/generated/openapi.d.ts) need no `?` for them.
    # Request bodies are described in validation mode, where a default stays optional.
    model_config = ConfigDict(
        from_attributes=True, json_schema_serialization_defaults_required=True
    )

    @model_validator(mode="before")
    @classmethod
    def _no_nul_characters(cls, data: Any) -> Any:
        """PostgreSQL's text refuses NUL; a 422 here instead of a database error."""
        return _nul_free(data)


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
    offset: int = Field(0, ge=0, le=DB_INT_MAX)


class UserBrief(Dto):
    id: int
    login: str
    display_name: str


class CompanyBrief(Dto):
    id: int
    name: str
