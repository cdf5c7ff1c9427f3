"""The UDP user agent: sends requests, matches responses, and answers what Asterisk sends."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Callable, Coroutine
from typing import Any, cast

from cti.sandbox.sip import digest, sdp
from cti.sandbox.sip.dialog import Contact, Dialog
from cti.sandbox.sip.message import (
    SipMessage,
    parse,
    response_to,
    same_transaction,
    tag_of,
    user_of,
)
from cti.sandbox.sip.rtp import RtpStream

log = logging.getLogger(__name__)

InviteHandler = Callable[[Dialog], Coroutine[Any, Any, None]]
_TransactionKey = tuple[str, int, str]
_SIPFRAG = re.compile(r"SIP/2\.0 (\d{3})")
_ANSWERED_QUIETLY = ("OPTIONS", "NOTIFY", "INFO", "UPDATE", "MESSAGE")


class UserAgent(asyncio.DatagramProtocol):
    """One UDP socket; several users (agents, or the carrier's numbers) may share it."""

    def __init__(self, host: str, port: int, registrar: tuple[str, int]) -> None:
        self.host, self.port, self.registrar = host, port, registrar
        self.media_port = port + 1
        self.send_media = True  # real RTP on plain legs; False: SDP only (load benches)
        self.dialogs: dict[str, Dialog] = {}
        self.on_invite: InviteHandler | None = None
        self._transport: asyncio.DatagramTransport | None = None
        self._pending: dict[_TransactionKey, asyncio.Future[SipMessage]] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        await loop.create_datagram_endpoint(lambda: self, local_addr=(self.host, self.port))

    def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        for dialog in self.dialogs.values():
            if dialog.media is not None:
                dialog.media.close()
        if self._transport is not None:
            self._transport.close()

    def contact(self, user: str, display_name: str = "") -> Contact:
        return Contact(user, self.host, self.port, display_name)

    # --- sending

    def send(self, message: SipMessage) -> None:
        assert self._transport is not None, "user agent not started"
        self._transport.sendto(message.encode(), self.registrar)

    async def transaction(self, request: SipMessage, timeout: float | None = 10) -> SipMessage:
        """Send a request and wait for its final response."""
        key = (request.call_id, request.cseq[0], request.method)
        future: asyncio.Future[SipMessage] = asyncio.get_running_loop().create_future()
        self._pending[key] = future
        self.send(request)
        try:
            return await asyncio.wait_for(future, timeout)
        finally:
            self._pending.pop(key, None)

    async def authenticated(
        self, build: Callable[[], SipMessage], credentials: tuple[str, str] | None
    ) -> tuple[SipMessage, SipMessage]:
        """Send, and once more with credentials if challenged. Returns (request, response)."""
        request = build()
        response = await self.transaction(request, timeout=None)
        if response.status not in (401, 407) or credentials is None:
            return request, response
        if request.method == "INVITE":
            self.send(same_transaction(request, "ACK", response.header("to")))
        challenges = response.all_headers("www-authenticate") + response.all_headers(
            "proxy-authenticate"
        )
        header = "authorization" if response.status == 401 else "proxy-authorization"
        retry = build()
        value = digest.authorization(
            digest.pick_md5(challenges), retry.method, retry.request_uri, *credentials
        )
        retry.headers.append((header, value))
        return retry, await self.transaction(retry, timeout=None)

    # --- receiving

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: tuple[str | object, int]) -> None:
        if not data.strip():
            return  # keep-alive
        message = parse(data)
        if message.is_request:
            self._on_request(message)
        else:
            self._on_response(message)

    def _on_response(self, response: SipMessage) -> None:
        number, method = response.cseq
        if method == "INVITE" and response.status in (180, 183):
            dialog = self.dialogs.get(response.call_id)
            if dialog is not None:
                dialog.early(response)
                if response.status == 183 and sdp.media_address(response.body) is not None:
                    dialog.start_media(response.body)  # early media: prompts, DTMF both ways
                dialog.ringing.set()
        future = self._pending.get((response.call_id, number, method))
        if response.status >= 200 and future is not None and not future.done():
            future.set_result(response)

    def _on_request(self, request: SipMessage) -> None:
        dialog = self.dialogs.get(request.call_id)
        if request.method == "ACK":
            return
        handlers = {"INVITE": self._on_invite, "CANCEL": self._on_cancel, "BYE": self._on_bye}
        handlers.get(request.method, self._on_other)(request, dialog)

    def _on_invite(self, request: SipMessage, dialog: Dialog | None) -> None:
        if dialog is not None:
            if tag_of(request.header("to")):
                port = dialog.media.port if dialog.media is not None else self.media_port
                self.reply(request, 200, "OK", dialog, body=sdp.answer(request.body, port))
                dialog.start_media(request.body)
            return  # else: a retransmission of an INVITE we already handle
        dialog = Dialog.incoming(request, self.contact(_user(request)))
        self.dialogs[dialog.call_id] = dialog
        if self.on_invite is None:
            self.reply(request, 480, "Temporarily Unavailable", dialog)
            return
        self.spawn(self.on_invite(dialog))

    def _on_cancel(self, request: SipMessage, dialog: Dialog | None) -> None:
        self.send(response_to(request, 200, "OK"))
        if dialog is not None and dialog.invite is not None and not dialog.answered.is_set():
            self.reply(dialog.invite, 487, "Request Terminated", dialog)
            self.forget(dialog)

    def _on_bye(self, request: SipMessage, dialog: Dialog | None) -> None:
        self.send(response_to(request, 200, "OK"))
        if dialog is not None:
            self.forget(dialog)

    def _on_other(self, request: SipMessage, dialog: Dialog | None) -> None:
        if request.method == "NOTIFY" and dialog is not None:
            refer_progress(dialog, request)
        if request.method in _ANSWERED_QUIETLY or dialog is not None:
            self.send(response_to(request, 200, "OK", dialog.local_tag if dialog else ""))
        else:
            self.send(response_to(request, 501, "Not Implemented"))

    # --- helpers for the behaviours

    def reply(
        self, request: SipMessage, status: int, reason: str, dialog: Dialog, body: str = ""
    ) -> None:
        response = response_to(request, status, reason, dialog.local_tag)
        if status < 300:
            response.headers.append(("contact", f"<{dialog.me.uri}>"))
        if body:
            response.headers.append(("content-type", "application/sdp"))
            response.body = body
        self.send(response)

    async def open_media(self, dialog: Dialog, plain: bool) -> int:
        """The port to announce: a fresh RTP socket for a plain RTP leg, a dummy one otherwise."""
        if not (plain and self.send_media):
            return self.media_port
        dialog.media = await RtpStream.open(self.host)
        if dialog.ended.is_set():  # hung up meanwhile
            dialog.media.close()
        return dialog.media.port

    def forget(self, dialog: Dialog) -> None:
        """The call is over: wake whoever waits for it, stop its media and drop the dialog."""
        dialog.ended.set()
        if dialog.media is not None:
            dialog.media.close()
        self.dialogs.pop(dialog.call_id, None)

    def spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        """Run a call's behaviour in the background (cancelled when the agent closes)."""
        task = asyncio.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("SIP behaviour failed", exc_info=task.exception())


def refer_progress(dialog: Dialog, notify: SipMessage) -> None:
    """A NOTIFY of a REFER's implicit subscription (RFC 3515): the body is a status line
    (message/sipfrag); `Subscription-State: terminated` says the transfer is over."""
    if not notify.header("event").lower().startswith("refer"):
        return
    status = _SIPFRAG.match(notify.body)
    if status is not None:
        dialog.refer_status = int(status.group(1))
    if notify.header("subscription-state").lower().startswith("terminated"):
        dialog.refer_done.set()


def _user(request: SipMessage) -> str:
    return user_of(request.request_uri)


async def wait_quietly(event: asyncio.Event, seconds: float) -> bool:
    """Wait for an event at most `seconds`; True if it happened."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(event.wait(), seconds)
    return event.is_set()
