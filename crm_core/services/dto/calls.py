"""Call DTOs: what the CTI bridge registers, and what readers get back."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, Field, StringConstraints, model_validator

from crm_core.models.enums import Direction, Disposition
from crm_core.services.dto.common import Dto, PageParams, RecordId, without_unstorable

Short = Annotated[str, StringConstraints(max_length=64)]
PBX_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,31}$"
PbxName = Annotated[str, StringConstraints(pattern=PBX_PATTERN)]
DEFAULT_PBX = "default"


class Transfer(Dto):
    kind: Annotated[str, StringConstraints(max_length=16)]
    from_: Short = Field("", alias="from")
    to: Short = ""
    at: AwareDatetime

    def as_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)


class CallRecord(Dto):
    """One business call as the tracker sees it; registering it again updates the record."""

    @model_validator(mode="before")
    @classmethod
    def _no_nul_characters(cls, data: Any) -> Any:
        """What the PBX sent is never refused: characters a database cannot hold are dropped."""
        return without_unstorable(data)

    pbx: PbxName = Field(DEFAULT_PBX, description="the PBX the call was on (CTI_PBXS)")
    linkedid: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    direction: Direction
    caller: str = ""
    callee: str = ""
    queue: Short = ""
    agents_rang: list[Short] = Field(default_factory=list)
    answered_by: Short = ""
    agent_extension: Short = Field("", description="outbound/internal: the dialling agent")
    started_at: AwareDatetime
    answered_at: AwareDatetime | None = None
    ended_at: AwareDatetime | None = None
    wait_seconds: int = Field(0, ge=0)
    talk_seconds: int = Field(0, ge=0)
    disposition: Disposition | None = None
    recording: Annotated[str, StringConstraints(max_length=500)] = ""
    routing_reason: Annotated[str, StringConstraints(max_length=200)] = ""
    transfers: list[Transfer] = Field(default_factory=list)
    reconstructed: bool = False
    note: Annotated[str, StringConstraints(max_length=200)] = ""
    queued_at: AwareDatetime | None = Field(None, description="when the caller joined the queue")
    callback_of: Short = Field("", description="a queue call-back: the call it calls back")


class CallOut(Dto):
    id: int
    pbx: str = DEFAULT_PBX
    linkedid: str
    direction: Direction
    caller: str
    callee: str
    external_e164: str | None
    contact_id: int | None
    company_id: int | None
    agent_id: int | None
    queue: str
    agents_rang: list[str]
    answered_by: str
    started_at: datetime
    answered_at: datetime | None
    ended_at: datetime | None
    wait_seconds: int
    talk_seconds: int
    disposition: Disposition | None
    recording: str
    routing_reason: str
    transfers: list[dict[str, Any]]
    reconstructed: bool = False
    note: str = ""
    queued_at: datetime | None = None
    callback_of: str = ""
    wrapup_code: str | None = None
    """The wrap-up code the agent picked (not the telephony `disposition`)."""
    wrapup_label: str = ""
    keep_recordings: bool = Field(False, description="retention never deletes its recordings")


class CallFilter(PageParams):
    started_from: datetime | None = None
    started_to: datetime | None = None
    agent_id: RecordId | None = None
    direction: Direction | None = None
    disposition: Disposition | None = None
    contact_id: RecordId | None = None
    pbx: PbxName | None = Field(None, description="only the calls of this PBX (CTI_PBXS)")
