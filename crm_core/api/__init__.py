"""The CRM's REST API: `api_router()` (mounted under /api) and `install_error_handlers(app)`.

The app expects `app.state.services` to hold a `crm_core.services.Services`.
"""

from __future__ import annotations

from fastapi import APIRouter

from crm_core.api import (
    admin,
    auth,
    callbacks,
    calls,
    companies,
    contacts,
    lead_rules,
    recordings,
    reports,
    rotation,
    routing,
    tasks,
    transcripts,
    voicemails,
    webhooks,
    wrapup,
)
from crm_core.api.errors import install_error_handlers


def api_router() -> APIRouter:
    router = APIRouter(prefix="/api")
    modules = (
        auth,
        rotation,  # before contacts: /contacts/stale.csv is not a /contacts/{id}
        contacts,
        companies,
        calls,
        recordings,
        tasks,
        callbacks,
        admin,
        reports,
        routing,
        lead_rules,
        webhooks,
        wrapup,
        transcripts,
        voicemails,
    )
    for module in modules:
        router.include_router(module.router)
    return router


__all__ = ["api_router", "install_error_handlers"]
