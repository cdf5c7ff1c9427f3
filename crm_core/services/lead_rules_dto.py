"""What a lead rule is: which new leads it takes (`when`) and among whom it turns (`pool`).

A rule matches a lead when every condition it sets holds (an empty list: any): the lead's source
(call, import, api), the DID the caller dialled, the caller's country (ISO code from the E.164
number) or number prefix (a region: `+4212` is Bratislava's fixed lines), the lead's language.
The pool is a PBX queue's members or a team of named reps; the rule hands leads out in turn,
skipping reps who are away (paused or logged out) when `skip_away`, and reps who reached
`daily_cap` leads from this rule today (in `timezone`). Bad fields are a 422 naming the field;
whether the queue and the reps exist is checked by the service.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import phonenumbers
from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from crm_core.services.dto.common import TimeZoneName, UserBrief
from crm_core.services.routing_dto import Queue

LeadSource = Literal["call", "import", "api"]
LEAD_SOURCES: tuple[LeadSource, ...] = ("call", "import", "api")
Did = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^\+?[0-9]+$")]
Prefix = Annotated[str, Field(min_length=2, max_length=16, pattern=r"^\+[0-9]{1,15}$")]
Language = Annotated[str, Field(pattern=r"^[a-z]{2}$")]
Login = Annotated[str, Field(min_length=1, max_length=64)]


def _known_country(code: str) -> str:
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise PydanticCustomError(
            "unknown_country",
            "unknown country code {code} (ISO 3166 like SK, CZ, AT)",
            {"code": repr(code)},
        )
    return code


Country = Annotated[
    str,
    AfterValidator(_known_country),
    Field(json_schema_extra={"enum": sorted(phonenumbers.SUPPORTED_REGIONS)}),
]


class QueuePool(BaseModel):
    """The reps who are members of a PBX queue (as the bridge saw them log in)."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["queue"] = "queue"
    queue: Queue


class TeamPool(BaseModel):
    """Named reps (logins), in the order they take turns."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["team"] = "team"
    members: list[Login] = Field(min_length=1, max_length=100)


Pool = Annotated[QueuePool | TeamPool, Field(discriminator="kind")]


class LeadWhen(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sources: list[LeadSource] = Field(default_factory=list)
    dids: list[Did] = Field(default_factory=list, max_length=50)
    countries: list[Country] = Field(default_factory=list, max_length=50)
    prefixes: list[Prefix] = Field(default_factory=list, max_length=50)
    languages: list[Language] = Field(default_factory=list, max_length=20)


class LeadRuleSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    enabled: bool = True
    when: LeadWhen = Field(default_factory=LeadWhen)
    pool: Pool
    daily_cap: int | None = Field(None, ge=1, le=10_000)
    skip_away: bool = True
    timezone: TimeZoneName = "Europe/Bratislava"


class LeadRuleOut(BaseModel):
    id: int
    position: int
    rule: LeadRuleSpec


class LeadFacts(BaseModel):
    """What the rules know about a new lead."""

    contact_id: int
    source: LeadSource
    e164: str | None = None
    did: str | None = None
    language: str = ""
    call_id: int | None = None


class Decision(BaseModel):
    """An owner (or none) and the sentence saying why."""

    contact_id: int
    user_id: int | None
    rule_id: int | None = None
    rule_name: str = ""
    reason: str


class Reassign(BaseModel):
    """Give the selected leads to one owner."""

    model_config = ConfigDict(extra="forbid")

    contact_ids: list[Annotated[int, Field(ge=1, le=2_147_483_647)]] = Field(
        min_length=1, max_length=500
    )
    owner_id: int = Field(ge=1, le=2_147_483_647)


class Reassigned(BaseModel):
    reassigned: int
    owner: UserBrief


class LeadRow(BaseModel):
    """A lead on the distribution page: who has it and why."""

    id: int
    name: str
    phone: str
    source: str
    language: str
    owner: UserBrief | None
    assignment_reason: str
    created_at: datetime
