"""/api/contacts: list and search, CRUD, phones, timeline, notes, promotion, merging (the
rotation's /api/contacts/stale... routes are crm_core.api.rotation)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from crm_core.api.deps import ActorDep, IdPath, PageDep, ServicesDep
from crm_core.api.responses import errors
from crm_core.services.dto import (
    ContactCreate,
    ContactOut,
    ContactUpdate,
    NoteCreate,
    NoteOut,
    Page,
    PhoneIn,
    PhoneOut,
    TimelineItem,
)
from crm_core.services.dto.common import NO_NUL

router = APIRouter(prefix="/contacts", tags=["contacts"], responses=errors(400, 401, 403, 404, 409))


@router.get("")
async def list_contacts(
    _actor: ActorDep,
    services: ServicesDep,
    page: PageDep,
    q: Annotated[str | None, Query(max_length=200, pattern=NO_NUL)] = None,
) -> Page[ContactOut]:
    """Contacts matching `q` (name, company, email, or a phone in any spelling)."""
    return await services.search.search(q, page)


@router.post("", status_code=201)
async def create_contact(actor: ActorDep, services: ServicesDep, body: ContactCreate) -> ContactOut:
    return await services.contacts.create(actor, body)


@router.get("/{contact_id}")
async def get_contact(_actor: ActorDep, services: ServicesDep, contact_id: IdPath) -> ContactOut:
    return await services.contacts.get(contact_id)


@router.patch("/{contact_id}")
async def update_contact(
    actor: ActorDep, services: ServicesDep, contact_id: IdPath, body: ContactUpdate
) -> ContactOut:
    return await services.contacts.update(actor, contact_id, body)


@router.delete("/{contact_id}", status_code=204)
async def delete_contact(actor: ActorDep, services: ServicesDep, contact_id: IdPath) -> Response:
    await services.contacts.delete(actor, contact_id)
    return Response(status_code=204)


@router.post("/{contact_id}/phones", status_code=201)
async def add_phone(
    actor: ActorDep, services: ServicesDep, contact_id: IdPath, body: PhoneIn
) -> PhoneOut:
    return await services.contacts.add_phone(actor, contact_id, body)


@router.get("/{contact_id}/timeline")
async def timeline(
    actor: ActorDep, services: ServicesDep, contact_id: IdPath, page: PageDep
) -> list[TimelineItem]:
    """Calls, tasks and notes, newest first; an agent sees their own calls and tasks only."""
    return await services.cards.timeline(contact_id, page.limit, page.offset, actor)


@router.get("/{contact_id}/notes")
async def list_notes(_actor: ActorDep, services: ServicesDep, contact_id: IdPath) -> list[NoteOut]:
    return await services.notes.for_contact(contact_id)


@router.post("/{contact_id}/notes", status_code=201)
async def add_note(
    actor: ActorDep, services: ServicesDep, contact_id: IdPath, body: NoteCreate
) -> NoteOut:
    return await services.notes.add(actor, contact_id, body)


@router.post("/{contact_id}/promote")
async def promote(actor: ActorDep, services: ServicesDep, contact_id: IdPath) -> ContactOut:
    """Lead -> client (409 unless the contact is a lead)."""
    return await services.contacts.promote_to_client(actor, contact_id)


@router.post("/{contact_id}/merge/{drop_id}")
async def merge(
    actor: ActorDep, services: ServicesDep, contact_id: IdPath, drop_id: IdPath
) -> ContactOut:
    """Merge card `drop_id` into this one (phones, calls, tasks, notes move; `drop_id` goes)."""
    return await services.merge.merge_contacts(actor, contact_id, drop_id)
