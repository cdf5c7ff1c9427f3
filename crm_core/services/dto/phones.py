"""Phone DTOs."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

from crm_core.models.enums import PhoneKind
from crm_core.services.dto.common import Dto

PhoneNumberText = Annotated[str, StringConstraints(min_length=1, max_length=64)]
LabelText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=50)]


class PhoneIn(Dto):
    number: PhoneNumberText
    kind: PhoneKind | None = None
    label: LabelText = ""


class PhoneOut(Dto):
    id: int
    e164: str | None
    raw: str
    kind: PhoneKind
    label: str
