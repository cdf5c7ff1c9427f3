"""Turning the rows of a card lookup into the Card DTO."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from crm_core.services.dto import (
    CallOut,
    Card,
    CardRef,
    CompanyOut,
    ContactOut,
    NoteOut,
    PhoneOut,
    TaskOut,
    UserBrief,
)

Row = Mapping[Any, Any]


def _part(row: Row, prefix: str) -> dict[str, Any]:
    return {key[len(prefix) :]: value for key, value in row.items() if key.startswith(prefix)}


def _user(row: Row, prefix: str) -> UserBrief | None:
    user = _part(row, prefix)
    return None if user["id"] is None else UserBrief.model_validate(user)


def card_ref(row: Row) -> CardRef:
    if row["ct_id"] is not None:
        name = f"{row['ct_first_name']} {row['ct_last_name']}".strip()
        return CardRef(kind="contact", id=row["ct_id"], name=name)
    return CardRef(kind="company", id=row["co_id"], name=row["co_name"])


def _company(row: Row, phones: Sequence[Row]) -> CompanyOut | None:
    company = _part(row, "co_")
    if company["id"] is None:
        return None
    own = [
        PhoneOut.model_validate(phone) for phone in phones if phone["company_id"] == company["id"]
    ]
    return CompanyOut.model_validate({**company, "owner": _user(row, "coo_"), "phones": own})


def _contact(row: Row, phones: Sequence[Row]) -> ContactOut | None:
    contact = _part(row, "ct_")
    if contact["id"] is None:
        return None
    own = [
        PhoneOut.model_validate(phone) for phone in phones if phone["contact_id"] == contact["id"]
    ]
    company = None if row["co_id"] is None else {"id": row["co_id"], "name": row["co_name"]}
    full_name = f"{contact['first_name']} {contact['last_name']}".strip()
    values = {**contact, "full_name": full_name, "company": company, "phones": own}
    return ContactOut.model_validate({**values, "owner": _user(row, "cto_")})


def build_card(
    e164: str,
    heads: Sequence[Row],
    phones: Sequence[Row],
    history: tuple[Sequence[Row], Sequence[Row], Sequence[Row]],
) -> Card:
    head = heads[0]
    calls, tasks, notes = history
    contact, company = _contact(head, phones), _company(head, phones)
    owner = (contact.owner if contact else None) or (company.owner if company else None)
    return Card(
        phone=e164,
        contact=contact,
        company=company,
        owner=owner,
        last_calls=[CallOut.model_validate(row) for row in calls],
        open_tasks=[TaskOut.model_validate(row) for row in tasks],
        last_notes=[NoteOut.model_validate(row) for row in notes],
        other_matches=[card_ref(row) for row in heads[1:]],
    )
