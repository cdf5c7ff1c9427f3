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
    UnavailableError,
)


def _body(error: DomainError) -> dict[str, object]:
    """`detail` in English for API users and logs; `code` and `params` for the pages, which
    show their catalogue's text for the code in the user's language (see crm_core.errors)."""
    if isinstance(error, InvalidFieldError):
        item = {"loc": ["body", error.field], "msg": error.reason, "type": "value_error"}
        return {"detail": [item | {"code": error.code, "params": error.params}]}
    body: dict[str, object] = {"detail": str(error), "code": error.code, "params": error.params}
    if isinstance(error, PhoneTakenError):
        body["card"] = {"kind": error.card_kind, "id": error.card_id, "name": error.card_name}
    return body


_STATUS: tuple[tuple[type[DomainError], int], ...] = (
    (NotFoundError, 404),
    (InvalidFieldError, 422),
    (ConflictError, 409),
    (AuthenticationError, 401),
    (PermissionDeniedError, 403),
    (TooManyAttemptsError, 429),
    (ServiceBusyError, 503),
    (UnavailableError, 503),
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
