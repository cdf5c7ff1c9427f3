"""`load_demo_data`: users, 200 companies, 1,000 contacts, past calls and tasks, through the
services (so everything is audited). Idempotent: demo contacts carry source "demo", and a second
run that finds them creates nothing.

Demo users (password `demo` for all): agent1, agent2, agent3 (extensions 1001, 1002, 1003) and
the supervisor `super`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from crm_core.demo.generate import REGIONS, company_name, person, phone_number
from crm_core.errors import ConflictError
from crm_core.models import Contact
from crm_core.models.enums import ContactStatus, Direction, Disposition, Role, TaskKind
from crm_core.services import Services
from crm_core.services.dto import (
    Actor,
    CallRecord,
    CompanyCreate,
    ContactCreate,
    PhoneIn,
    TaskCreate,
    UserCreate,
    UserOut,
    UserUpdate,
)

DEMO_PASSWORD = "demo"
DEMO_SOURCE = "demo"
# (login, role, extension, display name): the names queues.conf gives the same extensions
DEMO_USERS = (
    ("agent1", Role.AGENT, "1001", "Alice Agent"),
    ("agent2", Role.AGENT, "1002", "Bob Agent"),
    ("agent3", Role.AGENT, "1003", "Carol Agent"),
    ("super", Role.SUPERVISOR, None, "Sam Supervisor"),
)
ACTOR = Actor.system("demo-data")


@dataclass
class DemoSummary:
    created: bool
    companies: int = 0
    contacts: int = 0
    calls: int = 0
    tasks: int = 0


async def _ensure_users(services: Services) -> list[UserOut]:
    users: list[UserOut] = []
    for login, role, extension, name in DEMO_USERS:
        existing = await services.users.get_by_login(login)
        if existing is None:
            data = UserCreate(
                login=login,
                password=DEMO_PASSWORD,
                role=role,
                display_name=name,
                extensions=[extension] if extension else [],
            )
            existing = await services.users.create(ACTOR, data)
        elif existing.display_name == login:  # made before demo users had names
            named = UserUpdate(display_name=name)
            existing = await services.users.update(ACTOR, existing.id, named)
        users.append(existing)
    return users


async def _already_loaded(services: Services) -> bool:
    async with services.sessions() as session:
        found = await session.scalar(
            select(Contact.id).where(Contact.source == DEMO_SOURCE).limit(1)
        )
    return found is not None


async def _companies(
    services: Services, rng: random.Random, owners: list[UserOut], count: int
) -> list[tuple[int, str]]:
    made: list[tuple[int, str]] = []
    for index in range(count):
        region = rng.choice(REGIONS)
        typed, _ = phone_number(rng, region)
        data = CompanyCreate(
            name=company_name(rng, region, index + 1),
            owner_id=rng.choice(owners).id,
            tags=rng.sample(["vip", "partner", "new", "eu", "retail"], 2),
            phones=[PhoneIn(number=typed, label="switchboard")],
        )
        try:
            made.append(((await services.companies.create(ACTOR, data)).id, region))
        except ConflictError:
            continue
    return made


async def _contacts(
    services: Services,
    rng: random.Random,
    owners: list[UserOut],
    companies: list[tuple[int, str]],
    count: int,
) -> list[tuple[int, str]]:
    made: list[tuple[int, str]] = []
    while len(made) < count:
        company_id, region = rng.choice(companies)
        first, last = person(rng)
        typed, e164 = phone_number(rng, region)
        phones = [PhoneIn(number=typed)] + (
            [PhoneIn(number=phone_number(rng, region)[0], label="office")]
            if rng.random() < 0.3
            else []
        )
        data = ContactCreate(
            first_name=first,
            last_name=last,
            company_id=company_id,
            email=f"{len(made)}.demo@example.com",
            owner_id=rng.choice(owners).id,
            status=rng.choice(list(ContactStatus)),
            source=DEMO_SOURCE,
            phones=phones,
            position=rng.choice(["CEO", "CFO", "Buyer", "Office manager", ""]),
        )
        try:
            made.append(((await services.contacts.create(ACTOR, data)).id, e164))
        except ConflictError:
            continue
    return made


def _call(rng: random.Random, index: int, e164: str, agents: list[UserOut]) -> CallRecord:
    agent = rng.choice(agents)
    extension = agent.extensions[0]
    started = datetime.now(UTC) - timedelta(minutes=rng.randint(10, 60 * 24 * 90))
    disposition = rng.choice(list(Disposition))
    direction = rng.choice([Direction.INBOUND, Direction.INBOUND, Direction.OUTBOUND])
    answered = disposition == Disposition.ANSWERED
    wait, talk = rng.randint(2, 90), rng.randint(20, 900) if answered else 0
    return CallRecord(
        linkedid=f"demo-{index}",
        direction=direction,
        caller=e164 if direction == Direction.INBOUND else extension,
        callee="700" if direction == Direction.INBOUND else e164,
        queue="support" if direction == Direction.INBOUND else "",
        agents_rang=[extension],
        answered_by=extension if answered and direction == Direction.INBOUND else "",
        agent_extension=extension,
        started_at=started,
        answered_at=started + timedelta(seconds=wait) if answered else None,
        ended_at=started + timedelta(seconds=wait + talk),
        wait_seconds=wait,
        talk_seconds=talk,
        disposition=disposition,
    )


async def load_demo_data(
    services: Services,
    *,
    companies: int = 200,
    contacts: int = 1000,
    calls: int = 1500,
    tasks: int = 150,
    seed: int = 42,
) -> DemoSummary:
    """Load the demo data set once; a second call only makes sure the demo users exist."""
    users = await _ensure_users(services)
    if await _already_loaded(services):
        return DemoSummary(created=False)
    rng = random.Random(seed)
    agents = [user for user in users if user.role == Role.AGENT]
    made_companies = await _companies(services, rng, agents, companies)
    made_contacts = await _contacts(services, rng, agents, made_companies, contacts)
    for index in range(calls):
        await services.calls.register(
            ACTOR, _call(rng, index, rng.choice(made_contacts)[1], agents)
        )
    for _ in range(tasks):
        due = datetime.now(UTC) + timedelta(hours=rng.randint(-24 * 7, 24 * 14))
        task = TaskCreate(
            kind=rng.choice(list(TaskKind)),
            subject=rng.choice(
                ["Call back", "Send offer", "Meeting about renewal", "Check invoice"]
            ),
            due_at=due,
            assignee_id=rng.choice(agents).id,
            contact_id=rng.choice(made_contacts)[0],
        )
        await services.tasks.create(ACTOR, task)
    return DemoSummary(True, len(made_companies), len(made_contacts), calls, tasks)
