"""A SIP dialog (one call leg) and the requests sent inside it."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from cti.sandbox.sip import sdp
from cti.sandbox.sip.message import (
    SipMessage,
    new_branch,
    new_token,
    same_transaction,
    tag_of,
    uri_of,
)
from cti.sandbox.sip.rtp import RtpStream


@dataclass(frozen=True)
class Contact:
    """Where this user agent listens, and as whom it speaks."""

    user: str
    host: str
    port: int
    display_name: str = ""

    @property
    def uri(self) -> str:
        return f"sip:{self.user}@{self.host}:{self.port}"

    @property
    def address(self) -> str:
        if not self.display_name:
            return f"<sip:{self.user}@{self.host}>"
        quoted = self.display_name.replace('"', "")
        return f'"{quoted}" <sip:{self.user}@{self.host}>'

    def via(self, branch: str) -> str:
        return f"SIP/2.0/UDP {self.host}:{self.port};rport;branch={branch}"


@dataclass
class Dialog:
    """One call leg. `local`/`remote` are From/To values (with tags once known)."""

    call_id: str
    me: Contact
    local: str
    remote: str
    remote_target: str
    outgoing: bool
    cseq: int = 1
    invite: SipMessage | None = None
    final_status: int = 0
    ringing: asyncio.Event = field(default_factory=asyncio.Event)
    answered: asyncio.Event = field(default_factory=asyncio.Event)
    ended: asyncio.Event = field(default_factory=asyncio.Event)
    media: RtpStream | None = None  # plain RTP legs only
    # A transfer this side asked for (REFER): the last status Asterisk's NOTIFYs reported
    # (message/sipfrag), and whether its subscription ended.
    refer_status: int = 0
    refer_done: asyncio.Event = field(default_factory=asyncio.Event)
    # the payload type the other side's SDP gave RFC 4733 events (None: it takes no DTMF)
    dtmf_payload: int | None = None

    @classmethod
    def incoming(cls, invite: SipMessage, me: Contact) -> Dialog:
        local = invite.header("to") + f";tag={new_token()}"
        remote_target = uri_of(invite.header("contact")) or uri_of(invite.header("from"))
        dialog = cls(invite.call_id, me, local, invite.header("from"), remote_target, False)
        dialog.invite = invite
        return dialog

    @classmethod
    def outgoing_to(cls, me: Contact, target_uri: str) -> Dialog:
        local = f"{me.address};tag={new_token()}"
        return cls(new_token() + "@cti-sandbox", me, local, f"<{target_uri}>", target_uri, True)

    def start_media(self, remote_sdp: str) -> None:
        """Send our audio where the other side's SDP says (again after a re-INVITE)."""
        address = sdp.media_address(remote_sdp)
        self.dtmf_payload = sdp.telephone_event(remote_sdp)
        if self.media is not None and address is not None:
            self.media.start(address)

    async def press(self, keys: str) -> None:
        """Press keys on this call's keypad: RFC 4733 events in the media stream (plain legs)."""
        if self.media is None or self.dtmf_payload is None or self.media.remote is None:
            raise RuntimeError("this call leg carries no RFC 4733 DTMF")
        for key in keys:
            await self.media.send_dtmf(key, self.dtmf_payload)
            await asyncio.sleep(0.1)

    @property
    def local_tag(self) -> str:
        return tag_of(self.local)

    def request(self, method: str, body: str = "", content_type: str = "") -> SipMessage:
        """A new in-dialog (or dialog-creating) request with the next CSeq."""
        if method not in ("ACK", "CANCEL"):
            self.cseq += 1
        headers = [
            ("via", self.me.via(new_branch())),
            ("max-forwards", "70"),
            ("from", self.local),
            ("to", self.remote),
            ("call-id", self.call_id),
            ("cseq", f"{self.cseq} {method}"),
            ("contact", f"<{self.me.uri}>"),
            ("user-agent", "cti-sandbox-ua"),
        ]
        if content_type:
            headers.append(("content-type", content_type))
        return SipMessage(f"{method} {self.remote_target} SIP/2.0", headers, body)

    def cancel(self) -> SipMessage:
        """CANCEL repeats the INVITE's Via branch, Request-URI and CSeq number."""
        assert self.invite is not None
        return same_transaction(self.invite, "CANCEL", self.invite.header("to"))

    def ack_failure(self, response: SipMessage) -> SipMessage:
        """The ACK of a non-2xx final response belongs to the INVITE transaction."""
        assert self.invite is not None
        return same_transaction(self.invite, "ACK", response.header("to"))

    def early(self, response: SipMessage) -> None:
        """A 18x with a tag: the early dialog exists (a blonde transfer's Replaces names it)."""
        if not tag_of(self.remote) and tag_of(response.header("to")):
            self.remote = response.header("to")

    def confirm(self, response: SipMessage) -> None:
        """A 2xx to our INVITE: learn the remote tag and target."""
        self.remote = response.header("to")
        self.remote_target = uri_of(response.header("contact")) or self.remote_target
