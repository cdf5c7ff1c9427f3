"""Domain errors. They know nothing of HTTP; crm_core.api maps them to status codes."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error the services raise on purpose."""


class NotFoundError(DomainError):
    def __init__(self, what: str, key: object) -> None:
        super().__init__(f"{what} {key} not found")
        self.what = what
        self.key = key


class InvalidFieldError(DomainError):
    """A value the services refuse, naming the field and the reason."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class ConflictError(DomainError):
    """The change clashes with existing data."""


class PhoneTakenError(ConflictError):
    """The phone number already belongs to another card."""

    def __init__(self, e164: str, card_kind: str, card_id: int, card_name: str) -> None:
        super().__init__(f"{e164} already belongs to {card_kind} {card_id} ({card_name})")
        self.e164 = e164
        self.card_kind = card_kind
        self.card_id = card_id
        self.card_name = card_name


class AuthenticationError(DomainError):
    """Wrong login or password, an inactive user, or a bad or expired token."""


class PermissionDeniedError(DomainError):
    """The actor's role does not allow the action."""


class TooManyAttemptsError(DomainError):
    """Too many sign-in attempts (for this login or from this address): wait `retry_after`."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"too many sign-in attempts; try again in {max(1, round(retry_after))} s")
        self.retry_after = retry_after


class ServiceBusyError(DomainError):
    """A bounded resource (e.g. the password hashing workers) is full: retry shortly."""

    def __init__(self, what: str, retry_after: float = 1.0) -> None:
        super().__init__(f"{what} is busy; try again in a moment")
        self.retry_after = retry_after
