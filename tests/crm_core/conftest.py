"""Helpers shared by crm_core tests."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest

from crm_core.services import Services
from crm_core.services.dto import Actor, CallRecord, ContactCreate, ContactOut, PhoneIn

SYSTEM = Actor.system()
AddContact = Callable[..., Awaitable[ContactOut]]


def minutes_ago(minutes: int) -> datetime:
    return datetime.now(UTC) - timedelta(minutes=minutes)


def call_record(linkedid: str, caller: str = "+421900123456", **fields: object) -> CallRecord:
    values: dict[str, object] = {
        "linkedid": linkedid,
        "direction": "inbound",
        "caller": caller,
        "callee": "700",
        "started_at": minutes_ago(10),
    }
    return CallRecord.model_validate(values | fields)


@pytest.fixture
def add_contact(services: Services) -> AddContact:
    async def add(
        first: str = "Ján", last: str = "Šťastný", *numbers: str, **fields: object
    ) -> ContactOut:
        data = ContactCreate.model_validate(
            {"first_name": first, "last_name": last, "phones": [{"number": n} for n in numbers]}
            | fields
        )
        return await services.contacts.create(SYSTEM, data)

    return add


__all__ = ["SYSTEM", "AddContact", "PhoneIn", "call_record", "minutes_ago"]
