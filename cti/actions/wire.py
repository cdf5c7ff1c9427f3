"""Requests, answers and refusals as JSON, between a web process and the ingest.

A refusal crosses as its kind, code, params and words, and is raised again on the web side as
the same DomainError, so the answer is the same 409 / 422 / 503 as in one process."""

from __future__ import annotations

from typing import Any

from crm_core.errors import (
    ConflictError,
    DomainError,
    InvalidFieldError,
    PermissionDeniedError,
    UnavailableError,
)

REQUESTS = "cti:actions:requests"
REPLY_PREFIX = "cti:actions:reply:"


def refusal(error: DomainError) -> dict[str, Any]:
    body: dict[str, Any] = {"message": str(error), "code": error.code, "params": error.params}
    if isinstance(error, InvalidFieldError):
        return {**body, "kind": "invalid", "field": error.field, "reason": error.reason}
    kinds = ((UnavailableError, "unavailable"), (PermissionDeniedError, "forbidden"),
             (ConflictError, "conflict"))  # fmt: skip
    kind = next((name for cls, name in kinds if isinstance(error, cls)), "conflict")
    return {**body, "kind": kind}


def raise_refusal(body: dict[str, Any]) -> None:
    code, params, message = str(body.get("code")), dict(body.get("params") or {}), body["message"]
    kind = body.get("kind")
    if kind == "invalid":
        raise InvalidFieldError(body["field"], body["reason"], code=code, params=params)
    if kind == "unavailable":
        raise UnavailableError(message, code=code, params=params)
    if kind == "forbidden":
        raise PermissionDeniedError(message, code=code, params=params)
    raise ConflictError(message, code=code, params=params)
