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
