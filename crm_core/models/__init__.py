"""SQLAlchemy models. Importing this package registers every table on `Base.metadata`."""

from crm_core.models.agent_event import AgentEvent
from crm_core.models.audit import AuditEntry
from crm_core.models.base import Base
from crm_core.models.call import Call
from crm_core.models.call_state import IngestCursor, IngestLease, OpenCallState
from crm_core.models.company import Company
from crm_core.models.contact import Contact
from crm_core.models.lead_rule import LeadAssignment, LeadDistribution, LeadRule
from crm_core.models.note import Note
from crm_core.models.phone import Phone
from crm_core.models.queue_callback import QueueCallback
from crm_core.models.recording import CallRecording
from crm_core.models.routing import RoutingRule, RoutingState
from crm_core.models.task import Task
from crm_core.models.transcript import (
    CallSummary,
    KeywordRule,
    TranscriptFlag,
    TranscriptJob,
    TranscriptLine,
)
from crm_core.models.user import User, UserExtension
from crm_core.models.voicemail import Voicemail
from crm_core.models.webhook import WebhookDelivery, WebhookEvent, WebhookSubscription
from crm_core.models.wrapup import WrapupCode, WrapupQueueRule

__all__ = [
    "AgentEvent",
    "AuditEntry",
    "Base",
    "Call",
    "CallRecording",
    "CallSummary",
    "Company",
    "Contact",
    "IngestCursor",
    "IngestLease",
    "KeywordRule",
    "LeadAssignment",
    "LeadDistribution",
    "LeadRule",
    "Note",
    "OpenCallState",
    "Phone",
    "QueueCallback",
    "RoutingRule",
    "RoutingState",
    "Task",
    "TranscriptFlag",
    "TranscriptJob",
    "TranscriptLine",
    "User",
    "UserExtension",
    "Voicemail",
    "WebhookDelivery",
    "WebhookEvent",
    "WebhookSubscription",
    "WrapupCode",
    "WrapupQueueRule",
]
