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
    # the caller left the queue with the call-back key: the bridge calls back (queue_callbacks)
    CALLBACK_REQUESTED = "callback_requested"


class QueueCallbackStatus(StrEnum):
    """A queue call-back's life: waiting for its turn, being dialled, done."""

    WAITING = "waiting"  # the virtual place in the queue (also between attempts)
    DIALING = "dialing"  # the agent's phone rings, then the caller's
    ANSWERED = "answered"  # the caller answered the call-back
    TASK = "task"  # every attempt failed: a call-back task for the queue


class TaskKind(StrEnum):
    CALLBACK = "callback"
    MEETING = "meeting"
    TODO = "todo"


class AuditAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    SPY = "spy"  # a supervisor listened to, whispered to or joined a call
    LISTEN = "listen"  # a call's recording was played (each request for its audio)
    DOWNLOAD = "download"  # a call's recording was downloaded
    ARCHIVE = "archive"  # a card deleted through the API: kept, hidden, its rows audited
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"  # wrong password, unknown or inactive login (who, from where)
    LOGIN_LOCKED = "login_locked"  # attempts for a login or from an address are now throttled
