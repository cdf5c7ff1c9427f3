"""Pydantic DTOs: the only shapes crm_core's services accept and return."""

from crm_core.services.dto.calls import CallFilter, CallOut, CallRecord, Transfer
from crm_core.services.dto.cards import AuditOut, Card, CardRef, TimelineItem
from crm_core.services.dto.common import Actor, CompanyBrief, Page, PageParams, UserBrief
from crm_core.services.dto.companies import CompanyCreate, CompanyOut, CompanyUpdate
from crm_core.services.dto.contacts import ContactCreate, ContactOut, ContactUpdate
from crm_core.services.dto.phones import PhoneIn, PhoneOut
from crm_core.services.dto.tasks import (
    NoteCreate,
    NoteOut,
    TaskCreate,
    TaskFilter,
    TaskOut,
    TaskScope,
    TaskUpdate,
)
from crm_core.services.dto.users import (
    LoginRequest,
    LoginResult,
    PreferencesUpdate,
    StaffName,
    UserCreate,
    UserOut,
    UserUpdate,
)

__all__ = [
    "Actor",
    "AuditOut",
    "CallFilter",
    "CallOut",
    "CallRecord",
    "Card",
    "CardRef",
    "CompanyBrief",
    "CompanyCreate",
    "CompanyOut",
    "CompanyUpdate",
    "ContactCreate",
    "ContactOut",
    "ContactUpdate",
    "LoginRequest",
    "LoginResult",
    "NoteCreate",
    "NoteOut",
    "Page",
    "PageParams",
    "PhoneIn",
    "PhoneOut",
    "PreferencesUpdate",
    "StaffName",
    "TaskCreate",
    "TaskFilter",
    "TaskOut",
    "TaskScope",
    "TaskUpdate",
    "TimelineItem",
    "Transfer",
    "UserBrief",
    "UserCreate",
    "UserOut",
    "UserUpdate",
]
