"""The error answers the routers document in the OpenAPI document, beside FastAPI's 422."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from crm_core.services.dto import CardRef


class ErrorOut(BaseModel):
    detail: str
    code: str = Field(
        default="error",
        description="Stable reason (crm_core.errors): the page shows its catalogue's text for it",
    )
    params: dict[str, str | int | float] = Field(
        default_factory=dict, description="The words the code's text names (a number, a name)"
    )
    card: CardRef | None = None


WHY = {
    400: "The request body is not JSON",
    401: "Not signed in, or the bearer token is wrong or expired",
    403: "The caller's role does not allow this",
    404: "No such record, or not one the caller may see",
    409: "The change clashes with existing data or the current state",
    413: "The request body is larger than the server accepts",
    429: "Too many sign-in attempts for this login or from this address: see Retry-After",
    503: "Asterisk is not connected, or the server is busy: see Retry-After",
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a router or route: each code with its meaning and body."""
    return {code: {"model": ErrorOut, "description": WHY[code]} for code in codes}
