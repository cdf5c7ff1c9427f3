"""The closed vocabularies of the CRM, shared by models and DTOs."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    AGENT = "agent"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class ContactStatus(StrEnum):
    LEAD = "lead"
    CLIENT = "client"
    PARTNER = "partner"
    FORMER = "former"


class PhoneKind(StrEnum):
    MOBILE = "mobile"
    FIXED = "fixed"
    FAX = "fax"
    OTHER = "other"


class Direction(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"
    INTERNAL = "internal"


class Disposition(StrEnum):
    ANSWERED = "answered"
    MISSED = "missed"
    ABANDONED = "abandoned"
    BUSY = "busy"
    FAILED = "failed"


class TaskKind(StrEnum):
    CALLBACK = "callback"
    MEETING = "meeting"
    TODO = "todo"


class AuditAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    SPY = "spy"  # a supervisor listened to, whispered to or joined a call
    ARCHIVE = "archive"  # a card deleted through the API: kept, hidden, its rows audited
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"  # wrong password, unknown or inactive login (who, from where)
    LOGIN_LOCKED = "login_locked"  # attempts for a login or from an address are now throttled
