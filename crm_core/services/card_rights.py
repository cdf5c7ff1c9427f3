"""Who may see and remove what (README "Security" states the same rule as a table).

- Calls: an agent sees the calls that are theirs (`calls.agent_id`: who answered, or who dialled)
  and the calls that are nobody's (missed and abandoned calls, which call-backs come from);
  supervisors and admins see every call.
- Tasks and call-backs: an agent sees the ones assigned to them; staff see all.
- Cards (contacts, companies), their phones and notes: every signed-in user.
- Removing a contact (delete, or merging it away into another card): agents only a lead that is
  theirs or nobody's (a lead a call created); staff any. A company: agents only one that is
  theirs or nobody's.

Every route returning calls, tasks or call-backs applies `calls_visible` / `tasks_visible`
(the card lookup, the timeline, the lists and the single reads).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, true

from crm_core.errors import PermissionDeniedError
from crm_core.models import Call, Company, Contact, Task
from crm_core.models.enums import ContactStatus
from crm_core.services.dto import Actor


def calls_visible(actor: Actor | None) -> ColumnElement[bool]:
    """A WHERE clause: the calls `actor` may see (None: the system, everything)."""
    if actor is None or not actor.is_agent:
        return true()
    return or_(Call.agent_id == actor.id, Call.agent_id.is_(None))


def tasks_visible(actor: Actor | None) -> ColumnElement[bool]:
    if actor is None or not actor.is_agent:
        return true()
    return Task.assignee_id == actor.id


def may_see_call(actor: Actor, agent_id: int | None) -> bool:
    return not actor.is_agent or agent_id in (None, actor.id)


def may_see_task(actor: Actor, assignee_id: int) -> bool:
    return not actor.is_agent or assignee_id == actor.id


def check_may_remove_contact(actor: Actor, contact: Contact) -> None:
    if not actor.is_agent:
        return
    if contact.status != ContactStatus.LEAD.value or contact.owner_id not in (None, actor.id):
        raise PermissionDeniedError(
            f"agents may remove only their own leads (or leads nobody owns); contact "
            f"{contact.id} is a {contact.status} owned by user {contact.owner_id}",
            code="own_leads_only",
        )


def check_may_remove_company(actor: Actor, company: Company) -> None:
    if actor.is_agent and company.owner_id not in (None, actor.id):
        raise PermissionDeniedError(
            f"agents may remove only their own companies (or ones nobody owns); company "
            f"{company.id} is owned by user {company.owner_id}",
            code="own_companies_only",
        )
