"""The sandbox user agent's mid-call features, without Asterisk: two user agents on loopback
(one plays the PBX) for 302 redirects, ring-then-refuse and hold; REFER's Refer-To/Replaces and
the NOTIFY progress it reads."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from cti.sandbox.sip import sdp
from cti.sandbox.sip.agent import UserAgent, refer_progress
from cti.sandbox.sip.calls import AnswerPlan, follow_plan, place_call
from cti.sandbox.sip.dialog import Dialog
from cti.sandbox.sip.message import SipMessage, parse
from cti.sandbox.sip.transfer import hold, refer_to, resume

PHONE_PORT, PBX_PORT = 5170, 5172  # away from the sandbox's 5060/5070/5080
ANSWER_AT_ONCE = AnswerPlan(answer_after=0)


@dataclass
class Pair:
    phone: UserAgent
    pbx: UserAgent
    plan: AnswerPlan = ANSWER_AT_ONCE


@pytest.fixture
async def pair() -> AsyncIterator[Pair]:
    phone = UserAgent("127.0.0.1", PHONE_PORT, ("127.0.0.1", PBX_PORT))
    pbx = UserAgent("127.0.0.1", PBX_PORT, ("127.0.0.1", PHONE_PORT))
    phone.send_media = pbx.send_media = False
    await phone.start()
    await pbx.start()
    found = Pair(phone, pbx)

    async def ring(dialog: Dialog) -> None:
        await follow_plan(pbx, dialog, found.plan)

    pbx.on_invite = ring
    yield found
    phone.close()
    pbx.close()


async def _call(pair: Pair) -> Dialog:
    me = pair.phone.contact("1001")
    return await place_call(pair.phone, me, f"sip:1004@127.0.0.1:{PBX_PORT}")


async def test_a_redirecting_phone_answers_302_with_the_new_number(pair: Pair) -> None:
    pair.plan = AnswerPlan(redirect="1005")
    heard: list[SipMessage] = []
    original = pair.phone.datagram_received

    def listen(data: bytes, addr: tuple[str | object, int]) -> None:
        heard.append(parse(data))
        original(data, addr)

    pair.phone.datagram_received = listen  # type: ignore[method-assign]
    dialog = await _call(pair)
    await asyncio.wait_for(dialog.ended.wait(), 5)
    assert dialog.final_status == 302
    [moved] = [m for m in heard if not m.is_request and m.status == 302]
    assert moved.header("contact") == f"<sip:1005@127.0.0.1:{PHONE_PORT}>"
    assert not dialog.ringing.is_set(), "a phone that forwards does not ring"


async def test_a_phone_may_ring_first_and_then_refuse(pair: Pair) -> None:
    pair.plan = AnswerPlan(answer_after=0.3, reject=603, ring_first=True)
    dialog = await _call(pair)
    await asyncio.wait_for(dialog.ended.wait(), 5)
    assert dialog.ringing.is_set()
    assert dialog.final_status == 603
    assert dialog.remote.count("tag=") == 1, "the early dialog's tag is kept (for Replaces)"


async def test_hold_and_resume_are_re_invites_the_other_side_accepts(pair: Pair) -> None:
    dialog = await _call(pair)
    await asyncio.wait_for(dialog.answered.wait(), 5)
    assert await hold(pair.phone, dialog) == 200
    assert await resume(pair.phone, dialog) == 200
    assert not dialog.ended.is_set()


def test_an_answer_to_a_hold_offer_only_receives() -> None:
    held = sdp.answer(sdp.offer(4000, webrtc=True, direction="sendonly"), 4002)
    assert sdp.direction_of(held) == "recvonly"
    assert sdp.direction_of(sdp.answer(sdp.offer(4000, webrtc=True), 4002)) == "sendrecv"
    assert sdp.direction_of(sdp.answer(sdp.offer(4000, False, "inactive"), 4002)) == "inactive"


def _placed(call_id: str, ours: str, theirs: str) -> Dialog:
    me = UserAgent("127.0.0.1", 1, ("127.0.0.1", 5060)).contact("1001")
    dialog = Dialog(call_id, me, f"<sip:1001@x>;tag={ours}", f"<sip:1002@x>;tag={theirs}", "", True)
    return dialog


def test_refer_to_names_the_consultation_as_the_pbx_knows_it() -> None:
    ua = UserAgent("127.0.0.1", 1, ("127.0.0.1", 5060))
    assert refer_to(ua, "1002") == "<sip:1002@127.0.0.1:5060>"
    consultation = _placed("abc@host", "mine", "pbx")
    assert refer_to(ua, "1002", consultation) == (
        "<sip:1002@127.0.0.1:5060?Replaces=abc%40host%3Bto-tag%3Dpbx%3Bfrom-tag%3Dmine>"
    )


def _notify(body: str, state: str) -> SipMessage:
    headers = [("event", "refer"), ("subscription-state", state)]
    return SipMessage("NOTIFY sip:1001@x SIP/2.0", headers, body)


def test_refer_progress_follows_the_sipfrag_until_the_subscription_ends() -> None:
    dialog = _placed("abc@host", "mine", "pbx")
    refer_progress(dialog, _notify("SIP/2.0 100 Trying\r\n", "active;expires=60"))
    assert (dialog.refer_status, dialog.refer_done.is_set()) == (100, False)
    refer_progress(dialog, _notify("SIP/2.0 486 Busy Here\r\n", "terminated;reason=noresource"))
    assert (dialog.refer_status, dialog.refer_done.is_set()) == (486, True)
    other = _placed("def@host", "a", "b")
    refer_progress(other, SipMessage("NOTIFY sip:x SIP/2.0", [("event", "presence")], ""))
    assert other.refer_status == 0
