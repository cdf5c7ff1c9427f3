"""/api/companies: CRUD and phones."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from crm_core.api.deps import ActorDep, IdPath, PageDep, ServicesDep
from crm_core.api.responses import errors
from crm_core.services.dto import CompanyCreate, CompanyOut, CompanyUpdate, Page, PhoneIn, PhoneOut
from crm_core.services.dto.common import NO_NUL

router = APIRouter(
    prefix="/companies", tags=["companies"], responses=errors(400, 401, 403, 404, 409)
)


@router.get("")
async def list_companies(
    _actor: ActorDep,
    services: ServicesDep,
    page: PageDep,
    q: Annotated[str | None, Query(max_length=200, pattern=NO_NUL)] = None,
) -> Page[CompanyOut]:
    return await services.companies.list(q, page)


@router.post("", status_code=201)
async def create_company(actor: ActorDep, services: ServicesDep, body: CompanyCreate) -> CompanyOut:
    return await services.companies.create(actor, body)


@router.get("/{company_id}")
async def get_company(_actor: ActorDep, services: ServicesDep, company_id: IdPath) -> CompanyOut:
    return await services.companies.get(company_id)


@router.patch("/{company_id}")
async def update_company(
    actor: ActorDep, services: ServicesDep, company_id: IdPath, body: CompanyUpdate
) -> CompanyOut:
    return await services.companies.update(actor, company_id, body)


@router.delete("/{company_id}", status_code=204)
async def delete_company(actor: ActorDep, services: ServicesDep, company_id: IdPath) -> Response:
    await services.companies.delete(actor, company_id)
    return Response(status_code=204)


@router.post("/{company_id}/phones", status_code=201)
async def add_phone(
    actor: ActorDep, services: ServicesDep, company_id: IdPath, body: PhoneIn
) -> PhoneOut:
    return await services.companies.add_phone(actor, company_id, body)
