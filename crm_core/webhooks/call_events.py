"""The call events a call's record gives, as a `CallHook` in the transaction that registers it.

Each register compares the record before and after: a new record is `call.ringing`, an answer
time appearing `call.answered`, each new transfer `call.transferred`, an end time `call.ended`.
A note tied to a call (the agent's wrap-up, written after the call) is `call.wrapup`, and so is
a wrap-up closed with a code (`crm_core.services.wrapups`): `wrapup_code` {code, label} or null.
No hook here reads the database: events are only added to the session, so a batch of calls costs one
multi-row insert of events, not a statement per call.
A backlog merged into one register (the bridge writes a call's latest record) still gives every
event, in that order; registering the same record again gives none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.models import Call
from crm_core.services.dto import Actor, CallOut, NoteOut
from crm_core.services.dto.wrapup import WrapupCodeOut
from crm_core.webhooks.outbox import emit
from crm_core.webhooks.schema import call_id


def call_data(call: CallOut) -> dict[str, Any]:
    return call.model_dump(mode="json", exclude={"id", "routing_reason", "note"}) | {
        "crm_call_id": call.id,
    }


def _duration(call: CallOut) -> int | None:
    if call.ended_at is None:
        return None
    return max(0, round((call.ended_at - call.started_at).total_seconds()))


def _ended(call: CallOut, payload: dict[str, Any]) -> dict[str, Any]:
    """`wrapup` is null here: the agent writes it after the call, and it follows as
    `call.wrapup` (same call, so after this event)."""
    return {
        "call": payload,
        "duration_seconds": _duration(call),
        "disposition": call.disposition,
        "wrapup": None,
        "recording": call.recording or None,
    }


def _changes(call: CallOut, before: CallOut | None) -> list[tuple[str, dict[str, Any]]]:
    events: list[tuple[str, dict[str, Any]]] = []
    if before is None:
        events.append(("call.ringing", {}))
    if call.answered_at is not None and (before is None or before.answered_at is None):
        events.append(("call.answered", {}))
    known = 0 if before is None else len(before.transfers)
    events.extend(("call.transferred", {"transfer": t}) for t in call.transfers[known:])
    return events


@dataclass(frozen=True)
class CallWebhookEvents:
    pbx: str = "asterisk"

    def pbx_of(self, call: CallOut) -> str:
        """The PBX in the call's stable id: CTI_PBX_ID for the one PBX "default", else the
        call's PBX (CTI_PBXS), so two PBXs' colliding linkedids never share an id."""
        return self.pbx if call.pbx == "default" else call.pbx

    async def __call__(
        self, session: AsyncSession, _actor: Actor, call: CallOut, before: CallOut | None
    ) -> None:
        stable_id = call_id(self.pbx_of(call), call.linkedid)
        payload = call_data(call)
        for event_type, extra in _changes(call, before):
            emit(session, event_type, {"call": payload, **extra}, stable_id, stable_id)
        if call.ended_at is not None and (before is None or before.ended_at is None):
            emit(session, "call.ended", _ended(call, payload), stable_id, stable_id)

    async def note_added(self, session: AsyncSession, note: NoteOut, call: Call | None) -> None:
        """A `NoteHook`: a note tied to a call is its wrap-up."""
        if call is None:
            return
        self._wrapup(session, CallOut.model_validate(call), note)

    async def wrapup_closed(
        self,
        session: AsyncSession,
        call: CallOut,
        note: NoteOut | None,
        _code: WrapupCodeOut | None,
    ) -> None:
        """A `WrapupHook`: the wrap-up closed with its code (and note)."""
        self._wrapup(session, call, note)

    def _wrapup(self, session: AsyncSession, call: CallOut, note: NoteOut | None) -> None:
        stable_id = call_id(self.pbx_of(call), call.linkedid)
        code = None
        if call.wrapup_code is not None:
            code = {"code": call.wrapup_code, "label": call.wrapup_label}
        data = {
            "call": call_data(call),
            "note": None if note is None else note.model_dump(mode="json"),
            "wrapup_code": code,
        }
        emit(session, "call.wrapup", data, stable_id, stable_id)
