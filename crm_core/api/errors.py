"""The one place domain errors become HTTP responses."""

from __future__ import annotations

import math

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from crm_core.errors import (
    AuthenticationError,
    ConflictError,
    DomainError,
    InvalidFieldError,
    NotFoundError,
    PermissionDeniedError,
    PhoneTakenError,
    ServiceBusyError,
    TooManyAttemptsError,
)


def _body(error: DomainError) -> dict[str, object]:
    if isinstance(error, InvalidFieldError):
        return {
            "detail": [{"loc": ["body", error.field], "msg": error.reason, "type": "value_error"}]
        }
    if isinstance(error, PhoneTakenError):
        card = {"kind": error.card_kind, "id": error.card_id, "name": error.card_name}
        return {"detail": str(error), "card": card}
    return {"detail": str(error)}


_STATUS: tuple[tuple[type[DomainError], int], ...] = (
    (NotFoundError, 404),
    (InvalidFieldError, 422),
    (ConflictError, 409),
    (AuthenticationError, 401),
    (PermissionDeniedError, 403),
    (TooManyAttemptsError, 429),
    (ServiceBusyError, 503),
)


def status_of(error: DomainError) -> int:
    return next((status for kind, status in _STATUS if isinstance(error, kind)), 400)


async def domain_error_handler(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, DomainError)
    status = status_of(error)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else {}
    if isinstance(error, TooManyAttemptsError | ServiceBusyError):
        headers["Retry-After"] = str(max(1, math.ceil(error.retry_after)))
    return JSONResponse(_body(error), status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, domain_error_handler)
