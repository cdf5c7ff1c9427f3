"""Rewrite a stream recorded on Asterisk 22 with PJSIP into what older Asterisk versions and
other channel drivers send for the same calls, so every recorded scenario also tests the tracker
on those forms (README "Older Asterisk").

`python -m tests.compat.rewrite tests/scenarios/NAME.ami --profile asterisk13 > old.ami` writes
one; `cti replay old.ami` reads it like any capture.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

Message = list[tuple[str, str]]
Transform = Callable[[list[Message]], list[Message]]
TERMINATOR = "\r\n\r\n"

# chan_sip numbers its channels like chan_pjsip (8 hex digits); chan_iax2 by call number.
_PJSIP_CHANNEL = re.compile(r"PJSIP/([^\s,&;/]+?)-([0-9a-f]{8})\b")
_PJSIP_DEVICE = re.compile(r"PJSIP/")
_TRANSFER_PARTIES = {
    "BlindTransfer": ("Transferee",),
    "AttendedTransfer": ("Transferee", "TransferTarget"),
}


def split(raw: bytes) -> list[Message]:
    """The messages of a capture in order, each as its (header, value) pairs in order."""
    text = raw.decode("utf-8")
    messages = []
    for block in text.split(TERMINATOR):
        pairs = [line.split(": ", 1) for line in block.split("\r\n") if ": " in line]
        if pairs:
            messages.append([(key, value) for key, value in pairs])
    return messages


def join(messages: Iterable[Message], greeting: str) -> bytes:
    blocks = ["\r\n".join(f"{key}: {value}" for key, value in message) for message in messages]
    return (f"{greeting}\r\n" + "".join(block + TERMINATOR for block in blocks)).encode()


def _event(message: Message) -> str:
    return next((value for key, value in message if key == "Event"), "")


def technology(driver: str) -> Transform:
    """`PJSIP/1001-0000000a` as chan_sip (`SIP/1001-0000000a`) or chan_iax2 (`IAX2/1001-10`)
    names it, in every header (channels, queue interfaces, dial strings, application data)."""

    def channel(match: re.Match[str]) -> str:
        resource, number = match.group(1), match.group(2)
        suffix = str(int(number, 16)) if driver == "IAX2" else number
        return f"{driver}/{resource}-{suffix}"

    def value(text: str) -> str:
        return _PJSIP_DEVICE.sub(f"{driver}/", _PJSIP_CHANNEL.sub(channel, text))

    def apply(messages: list[Message]) -> list[Message]:
        return [[(key, value(text)) for key, text in message] for message in messages]

    return apply


def without_events(*names: str) -> Transform:
    def apply(messages: list[Message]) -> list[Message]:
        return [message for message in messages if _event(message) not in names]

    return apply


def forward_on_dial_end(messages: list[Message]) -> list[Message]:
    """Before DialState (Asterisk 14), a SIP 302 was told by the DialEnd of the forwarding
    target (status CANCEL, `Forward:` the new destination); other dial progress was not told."""
    out = []
    for message in messages:
        if _event(message) != "DialState":
            out.append(message)
        elif any(key == "Forward" for key, _ in message):
            rest = [("DialStatus", "CANCEL") if k == "DialStatus" else (k, v) for k, v in message]
            out.append([("Event", "DialEnd"), *(kv for kv in rest if kv[0] != "Event")])
    return out


def fewer_transfer_fields(messages: list[Message]) -> list[Message]:
    """BlindTransfer and AttendedTransfer as early Asterisk 13 sent them: the transferer's and
    the bridges' fields only, no Transferee*/TransferTarget* snapshots."""
    out = []
    for message in messages:
        dropped = _TRANSFER_PARTIES.get(_event(message), ())
        out.append([(k, v) for k, v in message if not (dropped and k.startswith(dropped))])
    return out


def frozen_linkedids(messages: list[Message]) -> list[Message]:
    """Every channel keeps the Linkedid it was created with (no switch after a REFER with
    Replaces), in every snapshot of every event (Linkedid, DestLinkedid, TransfererLinkedid...)."""
    first: dict[str, str] = {}
    out = []
    for message in messages:
        headers = dict(message)
        fixed = []
        for key, value in message:
            if key.endswith("Linkedid"):
                uid = headers.get(key[: -len("Linkedid")] + "Uniqueid", "")
                value = first.setdefault(uid, value) if uid else value
            fixed.append((key, value))
        out.append(fixed)
    return out


def without_headers(*names: str) -> Transform:
    def apply(messages: list[Message]) -> list[Message]:
        return [[(k, v) for k, v in message if not k.endswith(names)] for message in messages]

    return apply


@dataclass(frozen=True)
class Profile:
    name: str
    greeting: str
    what: str
    transforms: tuple[Transform, ...]

    def rewrite(self, raw: bytes) -> bytes:
        messages = split(raw)
        for transform in self.transforms:
            messages = transform(messages)
        return join(messages, self.greeting)


_LOCAL_OPTIMIZATION = without_events("LocalOptimizationBegin", "LocalOptimizationEnd")
PROFILES = {
    profile.name: profile
    for profile in (
        Profile(
            "asterisk20-sip",
            "Asterisk Call Manager/9.0.0",
            "Asterisk 20 (AMI 9) with chan_sip: SIP/ channels",
            (technology("SIP"),),
        ),
        Profile(
            "asterisk18-iax2",
            "Asterisk Call Manager/7.0.3",
            "Asterisk 18 (AMI 7) with IAX2 phones and trunk: IAX2/1001-10 channels",
            (technology("IAX2"),),
        ),
        Profile(
            "asterisk16-sip",
            "Asterisk Call Manager/5.0.1",
            "Asterisk 16 (AMI 5) with chan_sip: SIP/ channels, a channel keeps its Linkedid,"
            " no LocalOptimizationBegin/End",
            (technology("SIP"), frozen_linkedids, _LOCAL_OPTIMIZATION),
        ),
        Profile(
            "asterisk13-sip",
            "Asterisk Call Manager/2.10.6",
            "Asterisk 13 (AMI 2.10) with chan_sip: SIP/ channels, no DialState (a 302 told by"
            " DialEnd's Forward), transfer events without Transferee/TransferTarget fields, a"
            " channel keeps its Linkedid, no LocalOptimizationBegin/End, no Language fields",
            (
                technology("SIP"),
                forward_on_dial_end,
                fewer_transfer_fields,
                frozen_linkedids,
                _LOCAL_OPTIMIZATION,
                without_headers("Language"),
            ),
        ),
    )
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--profile", choices=sorted(PROFILES), required=True)
    args = parser.parse_args(argv)
    sys.stdout.buffer.write(PROFILES[args.profile].rewrite(args.file.read_bytes()))


if __name__ == "__main__":
    main()
