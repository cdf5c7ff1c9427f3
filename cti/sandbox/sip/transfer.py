"""What a phone does in the middle of a call: hold and resume (re-INVITE), and transfers by SIP
REFER (RFC 3515), with Replaces (RFC 3891) for attended and blonde ones.

Asterisk's res_pjsip_refer answers a REFER with 202 Accepted, reports the transfer's progress in
NOTIFYs carrying a status line (message/sipfrag) until one says `Subscription-State:
terminated`, and then hangs the transferring leg up (BYE) unless the phone did first.
"""

from __future__ import annotations

import contextlib
from urllib.parse import quote

from cti.sandbox.sip import sdp
from cti.sandbox.sip.agent import UserAgent, wait_quietly
from cti.sandbox.sip.calls import hang_up
from cti.sandbox.sip.dialog import Dialog
from cti.sandbox.sip.message import tag_of

REFER_SECONDS = 40.0  # longer than a target's ring time (AGENT_RING 20 s)
REINVITE_SECONDS = 10.0


async def hold(ua: UserAgent, dialog: Dialog) -> int:
    """Put the other side on hold (a=sendonly); the final status of the re-INVITE."""
    return await _reinvite(ua, dialog, "sendonly")


async def resume(ua: UserAgent, dialog: Dialog) -> int:
    return await _reinvite(ua, dialog, "sendrecv")


async def _reinvite(ua: UserAgent, dialog: Dialog, direction: str) -> int:
    assert dialog.invite is not None
    port = dialog.media.port if dialog.media is not None else ua.media_port
    webrtc = not sdp.plain_rtp(dialog.invite.body)
    request = dialog.request("INVITE", sdp.offer(port, webrtc, direction), "application/sdp")
    try:
        response = await ua.transaction(request, REINVITE_SECONDS)
    except TimeoutError:
        return 408
    if 200 <= response.status < 300:
        ua.send(dialog.request("ACK"))
    return response.status


def replaces(dialog: Dialog) -> str:
    """The Replaces value naming a dialog this phone placed, as the PBX knows it: its Call-ID,
    the PBX's tag (to-tag) and ours (from-tag). An early dialog (still ringing) works too."""
    return f"{dialog.call_id};to-tag={tag_of(dialog.remote)};from-tag={dialog.local_tag}"


def refer_to(ua: UserAgent, number: str, consultation: Dialog | None = None) -> str:
    host, port = ua.registrar
    uri = f"sip:{number}@{host}:{port}"
    if consultation is not None:
        uri += "?Replaces=" + quote(replaces(consultation), safe="")
    return f"<{uri}>"


async def refer(
    ua: UserAgent, dialog: Dialog, number: str, consultation: Dialog | None = None
) -> int:
    """Transfer the other side of `dialog` to `number` (blind), or — with the consultation call
    to `number` — replace this phone in both calls (attended; blonde while it still rings).
    Returns the transfer's last reported status (200: done), or the REFER's refusal; this leg
    is ended either way, as a phone hangs up after transferring."""
    request = dialog.request("REFER")
    request.headers += [
        ("refer-to", refer_to(ua, number, consultation)),
        ("referred-by", dialog.me.address),
    ]
    try:
        response = await ua.transaction(request, REINVITE_SECONDS)
    except TimeoutError:
        return 408
    if response.status >= 300:
        return response.status
    await wait_quietly(dialog.refer_done, REFER_SECONDS)
    with contextlib.suppress(TimeoutError):
        await hang_up(ua, dialog)
    return dialog.refer_status
