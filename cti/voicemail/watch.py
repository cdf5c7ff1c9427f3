"""Which voicemail box changed: pure, fed every AMI event (before the tracker).

Asterisk sends `MessageWaiting` (class `call`; `Mailbox: 1007@default`, `Waiting`, `New`,
`Old`) whenever a box's messages change: a message left, heard or deleted on a phone. The
event names no message, so the box is scanned.
"""

from __future__ import annotations

import re

from cti.state.events import AmiEvent, Resync

_NAME = r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}"
_MAILBOX = re.compile(rf"^(?P<box>{_NAME})(?:@(?P<context>{_NAME}))?$")


def changed_box(item: AmiEvent | Resync) -> tuple[str, str] | None:
    """(context, box) of a MessageWaiting event; None for any other event or a bad name."""
    if isinstance(item, Resync) or item.name != "MessageWaiting":
        return None
    match = _MAILBOX.match(item.get("Mailbox").strip())
    if match is None:
        return None
    return match.group("context") or "default", match.group("box")
