"""What every service shares: the session factory, the settings, role checks."""

from __future__ import annotations

from crm_core.db import Sessions
from crm_core.errors import PermissionDeniedError
from crm_core.models.enums import Role
from crm_core.services.dto import Actor
from crm_core.settings import CrmSettings


class ServiceBase:
    """Each public method runs in one transaction of its own: all of it is written, or nothing."""

    def __init__(self, sessions: Sessions, settings: CrmSettings) -> None:
        self._sessions = sessions
        self._settings = settings

    @property
    def region(self) -> str:
        return self._settings.default_region


def require_role(actor: Actor, *roles: Role) -> None:
    if actor.role not in roles:
        raise PermissionDeniedError(f"{actor.login} ({actor.role}) may not do this")


STAFF = (Role.SUPERVISOR, Role.ADMIN)
