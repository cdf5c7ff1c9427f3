"""GET /api/me/sip: the logged-in agent's own SIP account, for the browser softphone.

The password never sits in the page's source: the page asks for it after sign-in, and the
answer is for the caller's own extension only. Passwords come from the setting
CTI_SIP_PASSWORDS: "1001=secret,1002=other" pairs, and a "*" entry is a formula for every other
extension ("*=sandbox-{ext}" is the sandbox's pjsip.conf). With CTI_SANDBOX on and no passwords
set, the sandbox's formula applies. CTI_SIP_WS_SERVERS lists Asterisk's SIP WebSocket URLs;
"{host}" is replaced by the host name the page was opened with.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, HTTPException, Request, status
from pydantic import BaseModel

from crm_core.api.deps import ActorDep, ServicesDep
from crm_core.api.responses import errors
from crm_core.errors import ConflictError
from cti.settings import BridgeSettings

SANDBOX_FORMULA = "*=sandbox-{ext}"


class SipAccount(BaseModel):
    extension: str
    uri: str
    password: str
    ws_servers: list[str]
    display_name: str


def parse_passwords(spec: str) -> dict[str, str]:
    """ "1001=a,1002=b,*=x-{ext}" -> {"1001": "a", "1002": "b", "*": "x-{ext}"}."""
    passwords: dict[str, str] = {}
    for item in spec.split(","):
        extension, sep, password = item.strip().partition("=")
        if sep and extension.strip() and password:
            passwords[extension.strip()] = password
    return passwords


def password_for(passwords: dict[str, str], extension: str) -> str | None:
    if extension in passwords:
        return passwords[extension]
    formula = passwords.get("*")
    return formula.replace("{ext}", extension) if formula else None


def ws_servers_for(spec: str, host: str) -> list[str]:
    return [url.strip().replace("{host}", host) for url in spec.split(",") if url.strip()]


def sip_credentials_router(settings: BridgeSettings) -> APIRouter:
    spec = settings.sip_passwords or (SANDBOX_FORMULA if settings.sandbox else "")
    passwords = parse_passwords(spec)
    router = APIRouter(tags=["telephony"], responses=errors(401, 404, 409))

    @router.get("/api/me/sip")
    async def my_sip_account(
        actor: ActorDep, services: ServicesDep, request: Request
    ) -> SipAccount:
        """The caller's own SIP account (first extension): 409 without an extension, 404 when
        no password is configured for it."""
        if actor.id is None:
            raise ConflictError("the system actor has no extension", code="no_extension")
        user = await services.users.get(actor.id)
        if not user.extensions:
            raise ConflictError(f"user {user.login} has no phone extension", code="no_extension")
        extension = user.extensions[0]
        password = password_for(passwords, extension)
        if password is None:
            raise HTTPException(
                status.HTTP_404_NOT_FOUND,
                f"no SIP password is configured for extension {extension} (CTI_SIP_PASSWORDS)",
            )
        servers = ws_servers_for(settings.sip_ws_servers, request.url.hostname or "127.0.0.1")
        domain = urlsplit(servers[0]).hostname if servers else None
        return SipAccount(
            extension=extension,
            uri=f"sip:{extension}@{domain or request.url.hostname or '127.0.0.1'}",
            password=password,
            ws_servers=servers,
            display_name=user.display_name or user.login,
        )

    return router
