"""Call behaviours on top of the user agent: ring/answer/reject plans, placing and ending calls."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass

from cti.sandbox.sip import sdp
from cti.sandbox.sip.agent import UserAgent, wait_quietly
from cti.sandbox.sip.dialog import Contact, Dialog
from cti.sandbox.sip.message import SipMessage, response_to


@dataclass(frozen=True)
class AnswerPlan:
    """How a phone treats a call that rings it.

    answer_after: seconds of ringing before answering; None lets it ring until the caller gives up.
    talk: seconds of conversation before this side hangs up; None waits for the other side.
    reject: a SIP status to refuse the call with (486 Busy Here, 603 Decline): at once, or after
        ringing `answer_after` seconds when `ring_first` is set.
    redirect: a number to send the call to instead (302 Moved Temporarily, Contact: that number
        at the PBX): a phone's own call forwarding.
    """

    answer_after: float | None = 1.0
    talk: float | None = None
    reject: int | None = None
    ring_first: bool = False
    redirect: str | None = None


BUSY = AnswerPlan(reject=486)
NO_ANSWER = AnswerPlan(answer_after=None)

_REASONS = {486: "Busy Here", 603: "Decline", 480: "Temporarily Unavailable"}


async def follow_plan(ua: UserAgent, dialog: Dialog, plan: AnswerPlan) -> None:
    """Run an incoming call to its end according to the plan."""
    assert dialog.invite is not None
    if plan.redirect is not None:
        redirect(ua, dialog, plan.redirect)
        return
    if plan.reject is not None and not plan.ring_first:
        _refuse(ua, dialog, plan.reject)
        return
    port = await ua.open_media(dialog, sdp.plain_rtp(dialog.invite.body))
    ua.reply(dialog.invite, 180, "Ringing", dialog)
    if plan.answer_after is None or await wait_quietly(dialog.ended, plan.answer_after):
        await dialog.ended.wait()
        return
    if plan.reject is not None:
        _refuse(ua, dialog, plan.reject)
        return
    ua.reply(dialog.invite, 200, "OK", dialog, body=sdp.answer(dialog.invite.body, port))
    dialog.start_media(dialog.invite.body)
    dialog.answered.set()
    await talk_then_hang_up(ua, dialog, plan.talk)


def _refuse(ua: UserAgent, dialog: Dialog, status: int) -> None:
    assert dialog.invite is not None
    ua.reply(dialog.invite, status, _REASONS.get(status, "Rejected"), dialog)
    ua.forget(dialog)


def redirect(ua: UserAgent, dialog: Dialog, number: str) -> None:
    """302 Moved Temporarily: the caller should call `number` (at the PBX) instead."""
    assert dialog.invite is not None
    response = response_to(dialog.invite, 302, "Moved Temporarily", dialog.local_tag)
    host, port = ua.registrar
    response.headers.append(("contact", f"<sip:{number}@{host}:{port}>"))
    ua.send(response)
    ua.forget(dialog)


async def talk_then_hang_up(ua: UserAgent, dialog: Dialog, talk: float | None) -> None:
    if talk is None:
        await dialog.ended.wait()
    elif not await wait_quietly(dialog.ended, talk):
        await hang_up(ua, dialog)


async def place_call(
    ua: UserAgent,
    me: Contact,
    target_uri: str,
    credentials: tuple[str, str] | None = None,
    webrtc: bool = False,
) -> Dialog:
    """Send an INVITE; returns at once with the dialog. `dialog.answered`/`ended` tell the rest."""
    dialog = Dialog.outgoing_to(me, target_uri)
    ua.dialogs[dialog.call_id] = dialog
    port = await ua.open_media(dialog, plain=not webrtc)
    ua.spawn(_run_invite(ua, dialog, credentials, sdp.offer(port, webrtc)))
    await asyncio.sleep(0)
    return dialog


async def _run_invite(
    ua: UserAgent, dialog: Dialog, credentials: tuple[str, str] | None, offer: str
) -> None:
    def build() -> SipMessage:
        dialog.invite = dialog.request("INVITE", offer, "application/sdp")
        return dialog.invite

    dialog.invite, response = await ua.authenticated(build, credentials)
    dialog.final_status = response.status
    if 200 <= response.status < 300:
        dialog.confirm(response)
        ua.send(dialog.request("ACK"))
        dialog.start_media(response.body)
        dialog.answered.set()
        return
    ua.send(dialog.ack_failure(response))
    ua.forget(dialog)


async def hang_up(ua: UserAgent, dialog: Dialog) -> None:
    """End the call from this side: CANCEL while it rings out, decline while it rings here, BYE
    once answered."""
    if dialog.ended.is_set():
        return
    if dialog.answered.is_set():
        with contextlib.suppress(TimeoutError):  # an overloaded PBX may never answer the BYE
            await ua.transaction(dialog.request("BYE"))
        ua.forget(dialog)
    elif dialog.outgoing:
        await ua.transaction(dialog.cancel())
        await dialog.ended.wait()
    else:
        assert dialog.invite is not None
        ua.reply(dialog.invite, 603, "Decline", dialog)
        ua.forget(dialog)


def drop_all(ua: UserAgent) -> None:
    """The user agent is closing: end every call it still has, without waiting for answers, so
    Asterisk is not left holding channels of a peer that is gone."""
    for dialog in list(ua.dialogs.values()):
        if dialog.ended.is_set():
            continue
        if dialog.answered.is_set():
            ua.send(dialog.request("BYE"))
        elif dialog.outgoing:
            ua.send(dialog.cancel())
        elif dialog.invite is not None:
            ua.reply(dialog.invite, 480, "Temporarily Unavailable", dialog)
        ua.forget(dialog)
