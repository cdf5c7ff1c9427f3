"""Domain errors. They know nothing of HTTP; crm_core.api maps them to status codes.

Each error carries a stable `code` (and `params` for the words around it): the answer's body
sends both, and the pages show the text their message catalogue has for `error.<code>` in the
user's language (web_softphone/src/i18n). The English `str(error)` is for logs and API users.
"""

from __future__ import annotations

from collections.abc import Mapping

Param = str | int | float


class DomainError(Exception):
    """Base of every error the services raise on purpose."""

    code = "error"

    def __init__(
        self, *args: object, code: str | None = None, params: Mapping[str, Param] | None = None
    ) -> None:
        super().__init__(*args)
        if code is not None:
            self.code = code
        self.params: dict[str, Param] = dict(params or {})


class NotFoundError(DomainError):
    code = "not_found"

    def __init__(self, what: str, key: object) -> None:
        super().__init__(f"{what} {key} not found", params={"what": what})
        self.what = what
        self.key = key


class InvalidFieldError(DomainError):
    """A value the services refuse, naming the field and the reason (`code`: why, stably)."""

    code = "invalid"

    def __init__(
        self,
        field: str,
        reason: str,
        *,
        code: str | None = None,
        params: Mapping[str, Param] | None = None,
    ) -> None:
        super().__init__(f"{field}: {reason}", code=code, params=params)
        self.field = field
        self.reason = reason


class ConflictError(DomainError):
    """The change clashes with existing data."""

    code = "conflict"


class PhoneTakenError(ConflictError):
    """The phone number already belongs to another card."""

    code = "phone_taken"

    def __init__(self, e164: str, card_kind: str, card_id: int, card_name: str) -> None:
        super().__init__(
            f"{e164} already belongs to {card_kind} {card_id} ({card_name})",
            params={"number": e164, "kind": card_kind, "id": card_id, "name": card_name},
        )
        self.e164 = e164
        self.card_kind = card_kind
        self.card_id = card_id
        self.card_name = card_name


class AuthenticationError(DomainError):
    """Wrong login or password, an inactive user, or a bad or expired token."""

    code = "not_signed_in"


class PermissionDeniedError(DomainError):
    """The actor's role does not allow the action."""

    code = "forbidden"


class TooManyAttemptsError(DomainError):
    """Too many sign-in attempts (for this login or from this address): wait `retry_after`."""

    code = "too_many_attempts"

    def __init__(self, retry_after: float) -> None:
        seconds = max(1, round(retry_after))
        super().__init__(
            f"too many sign-in attempts; try again in {seconds} s", params={"seconds": seconds}
        )
        self.retry_after = retry_after


class ServiceBusyError(DomainError):
    """A bounded resource (e.g. the password hashing workers) is full: retry shortly."""

    code = "busy"

    def __init__(self, what: str, retry_after: float = 1.0) -> None:
        super().__init__(f"{what} is busy; try again in a moment", params={"what": what})
        self.retry_after = retry_after


class UnavailableError(DomainError):
    """Something the action needs is not reachable now (Asterisk not connected): a 503."""

    code = "pbx_unavailable"
