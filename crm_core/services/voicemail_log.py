"""Voicemail for the bridge: what a pass over Asterisk's spool found, written on the cards.

Idempotent: a message is known by Asterisk's msg_id (`SpoolMessage.key`), so a restart or a
rescan adds nothing; a message Asterisk renumbered or moved (INBOX -> Old) keeps its row and
the row follows the file; one no longer in a box that was scanned is marked gone.

Linking a new message, in one transaction:
- the call: by linkedid (the dialplan's `VM_CATEGORY=cti:<linkedid>`), else the caller's last
  inbound call around the message's time. A message whose call is not written yet (the call log
  writes a call when it ends, as the message is saved) waits for the next pass, at most
  `grace` (then it is written without a call);
- the card: the call's, else the phone lookup; an unknown caller with no call gets a lead card
  as the call log makes them (`make_leads`, the lead policy `always`);
- the call-back: exactly one open call-back task per caller. The missed call's own task (the
  call log wrote it) or any open call-back of the caller's gets the message; only when there is
  none is a task created. An agent's box gives it to that agent (the missed call's task for the
  same call moves to them, audited); a queue's box (not an agent's extension) follows the
  missed-call rule: the card's owner, else the first supervisor (admin).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.models import Call, Contact, Phone, Task, User, UserExtension, Voicemail
from crm_core.models.enums import AuditAction, ContactStatus, Direction, Role, TaskKind
from crm_core.phones import phone_kind
from crm_core.recordings.probe import probe
from crm_core.services.audit import record
from crm_core.services.base import ServiceBase
from crm_core.services.call_followup import _first_staff
from crm_core.services.call_matching import cards_for, e164_of
from crm_core.services.dto import Actor, TaskCreate
from crm_core.services.dto.voicemails import ScanResult
from crm_core.services.lead_distribution import distribute
from crm_core.services.lead_rules_dto import LeadFacts
from crm_core.services.tasks import insert_task
from crm_core.services.voicemail_rows import voicemail_out
from crm_core.voicemail.spool import SpoolMessage, VoicemailSpool

CALL_WINDOW = timedelta(minutes=10)  # a message is left within this long of its call's start
DEFAULT_GRACE = timedelta(seconds=60)


class VoicemailLog(ServiceBase):
    @property
    def spool(self) -> VoicemailSpool:
        return VoicemailSpool(self._settings.voicemail_dir)

    async def record_scan(
        self, actor: Actor, messages: Sequence[SpoolMessage], boxes: Sequence[tuple[str, str]],
        now: datetime, grace: timedelta = DEFAULT_GRACE, make_leads: bool = True,
        broken: int = 0,
    ) -> ScanResult:  # fmt: skip
        """Write one pass's findings: `boxes` are the boxes scanned (their other messages are
        gone); `messages` what was in them."""
        result = ScanResult(broken=broken)
        async with self._sessions.begin() as session:
            known = await self._known(session, boxes)
            for message in messages:
                row = known.pop(message.key, None)
                if row is None:
                    row = await session.scalar(
                        select(Voicemail).where(Voicemail.msg_key == message.key)
                    )
                if row is not None:
                    result.moved += self._follow(row, message)
                    continue
                added = await self._add(session, actor, message, now, grace, make_leads)
                if added is None:
                    result.waiting += 1
                else:
                    result.added.append(voicemail_out(added))
            for row in known.values():
                row.gone_at = now
                result.gone += 1
        return result

    async def _known(
        self, session: AsyncSession, boxes: Sequence[tuple[str, str]]
    ) -> dict[str, Voicemail]:
        """The rows of the scanned boxes still in the spool, by key."""
        if not boxes:
            return {}
        in_boxes = or_(*(
            (Voicemail.mailbox_context == context) & (Voicemail.mailbox == box)
            for context, box in boxes
        ))  # fmt: skip
        rows = await session.scalars(select(Voicemail).where(in_boxes, Voicemail.gone_at.is_(None)))
        return {row.msg_key: row for row in rows}

    def _follow(self, row: Voicemail, message: SpoolMessage) -> int:
        """Asterisk renumbered or moved the message: the row follows its file."""
        place = (message.folder, message.stem, message.audio)
        if (row.folder, row.stem, row.audio_file) == place and row.gone_at is None:
            return 0
        row.folder, row.stem, row.audio_file = place
        row.gone_at = None
        return 1

    async def _add(
        self, session: AsyncSession, actor: Actor, message: SpoolMessage, now: datetime,
        grace: timedelta, make_leads: bool,
    ) -> Voicemail | None:  # fmt: skip
        meta = message.meta
        e164 = e164_of(meta.caller_number, self.region) if meta.caller_number else None
        call = await _call_of(session, meta.linkedid, e164, meta.received_at)
        settled = call is not None and call.ended_at is not None
        if not settled and meta.received_at > now - grace:
            return None  # its call is not written yet: the next pass links it
        contact_id = call.contact_id if call is not None else None
        if contact_id is None and e164 is not None:
            contact_id = (await cards_for(session, [e164])).get(e164, (None, None))[0]
            if contact_id is None and call is None and make_leads:
                contact_id = await _create_lead(session, actor, e164, meta.caller_number)
        row = Voicemail(
            msg_key=message.key, mailbox=message.mailbox,
            mailbox_context=message.mailbox_context, folder=message.folder, stem=message.stem,
            audio_file=message.audio, caller_number=meta.caller_number,
            caller_name=meta.caller_name, external_e164=e164, received_at=meta.received_at,
            duration_seconds=float(meta.duration_seconds), linkedid=meta.linkedid or (
                call.linkedid if call is not None else ""),
            call_id=call.id if call is not None else None, contact_id=contact_id, listens=0,
        )  # fmt: skip
        self._measure(row)
        agent = await _agent_of_box(session, message.mailbox)
        row.owner_id = agent
        task = None if e164 is None else await self._callback(session, actor, row, call, agent)
        if task is not None:
            row.task_id = task.id
            row.owner_id = agent if agent is not None else task.assignee_id
        elif agent is None:
            row.owner_id = await _first_staff(session)
        session.add(row)
        await session.flush()
        record(session, actor, AuditAction.CREATE, "voicemails", row.id,
               {"mailbox": f"{message.mailbox}@{message.mailbox_context}", "msg_id": row.msg_key,
                "call_id": row.call_id, "task_id": row.task_id})  # fmt: skip
        return row

    def _measure(self, row: Voicemail) -> None:
        """Size, and the WAV's own duration (the metadata's is whole seconds)."""
        path = self.spool.path_of(row.audio_file) if row.audio_file else None
        found = None if path is None else probe(path)
        if found is None:
            return
        row.size_bytes = found.size_bytes
        if found.duration_seconds is not None and found.complete:
            row.duration_seconds = found.duration_seconds

    async def _callback(
        self, session: AsyncSession, actor: Actor, row: Voicemail, call: Call | None,
        agent: int | None,
    ) -> Task | None:  # fmt: skip
        """The caller's one open call-back task: the one there is, else a new one (none when
        there is nobody to give it to, as for a missed call)."""
        assert row.external_e164 is not None
        task = await _open_callback(session, row.external_e164, row.contact_id)
        if task is not None:
            same_call = call is not None and task.call_id == call.id
            if agent is not None and same_call and task.assignee_id != agent:
                record(session, actor, AuditAction.UPDATE, "tasks", task.id,
                       {"assignee_id": [task.assignee_id, agent], "why": "voicemail"})  # fmt: skip
                task.assignee_id = agent
            return task
        assignee = agent or await _owner_of(session, row.contact_id) or await _first_staff(session)
        if assignee is None:
            return None
        subject = f"Call back {row.external_e164} (voicemail for {row.mailbox})"
        made = await insert_task(session, actor, TaskCreate(
            kind=TaskKind.CALLBACK, subject=subject[:200], due_at=row.received_at,
            assignee_id=assignee, contact_id=row.contact_id,
            call_id=call.id if call is not None else None,
        ))  # fmt: skip
        found = await session.get(Task, made.id)
        assert found is not None
        return found


async def _call_of(
    session: AsyncSession, linkedid: str, e164: str | None, at: datetime
) -> Call | None:
    if linkedid:
        call = await session.scalar(select(Call).where(Call.linkedid == linkedid))
        if call is not None:
            return call
    if e164 is None:
        return None
    return await session.scalar(
        select(Call)
        .where(
            Call.external_e164 == e164,
            Call.direction == Direction.INBOUND.value,
            Call.started_at <= at + timedelta(seconds=5),
            Call.started_at >= at - CALL_WINDOW,
        )
        .order_by(Call.started_at.desc())
        .limit(1)
    )


async def _open_callback(session: AsyncSession, e164: str, contact_id: int | None) -> Task | None:
    """The caller's open call-back: on the card, or from an earlier call from the number."""
    same_caller = Call.external_e164 == e164
    if contact_id is not None:
        same_caller = or_(same_caller, Task.contact_id == contact_id)
    return await session.scalar(
        select(Task)
        .outerjoin(Call, Call.id == Task.call_id)
        .where(Task.done_at.is_(None), Task.kind == TaskKind.CALLBACK.value, same_caller)
        .order_by(Task.id)
        .limit(1)
    )


async def _agent_of_box(session: AsyncSession, box: str) -> int | None:
    """The active agent whose extension the box is (an agent's own box)."""
    return await session.scalar(
        select(UserExtension.user_id)
        .join(User, User.id == UserExtension.user_id)
        .where(UserExtension.extension == box, User.active, User.role == Role.AGENT.value)
        .limit(1)
    )


async def _owner_of(session: AsyncSession, contact_id: int | None) -> int | None:
    if contact_id is None:
        return None
    return await session.scalar(select(Contact.owner_id).where(Contact.id == contact_id))


async def _create_lead(session: AsyncSession, actor: Actor, e164: str, raw: str) -> int:
    """An unknown caller who left a message with no call on record: a lead, as the call log's."""
    lead = Contact(last_name=e164, status=ContactStatus.LEAD.value, source="call",
                   search_text=e164.lower())  # fmt: skip
    lead.phones = [Phone(e164=e164, raw=raw[:64], kind=phone_kind(e164))]
    session.add(lead)
    await session.flush()
    record(session, actor, AuditAction.CREATE, "contacts", lead.id, {"created_from": "voicemail"})
    await distribute(session, actor, [LeadFacts(contact_id=lead.id, source="call", e164=e164)])
    return lead.id
