"""Asterisk's voicemail spool: `<dir>/<context>/<box>/<folder>/msgNNNN.txt` beside its audio
(`msgNNNN.wav`), read without trusting a name in it.

app_voicemail writes the message into the box's `tmp` folder and renames it into INBOX once the
caller has hung up, so a `.txt` in a folder belongs to a finished message. The numbers are not
an identity: Asterisk renumbers a folder when a message is deleted, and moves a message heard on
the phone to `Old`. The identity is Asterisk's `msg_id` (Asterisk 11 and later), else the box,
the time and the caller.

The metadata (an INI file, `[message]`): `origmailbox`, `context`, `exten`, `callerchan`,
`callerid` (`"Name" <number>`), `origdate`, `origtime` (epoch seconds), `category` (the channel
variable VM_CATEGORY: the dialplan puts `cti:<linkedid>` there), `msg_id`, `flag`, `duration`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

FOLDERS = ("INBOX", "Old", "Urgent")
AUDIO_FORMATS = (".wav", ".WAV", ".gsm", ".ogg")
LINK_PREFIX = "cti:"
_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_MESSAGE = re.compile(r"^msg\d{4}$")
_CALLERID = re.compile(r'^\s*(?:"(?P<quoted>[^"]*)"|(?P<bare>[^<]*?))\s*<(?P<number>[^>]*)>\s*$')
_MSG_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")


class SpoolError(ValueError):
    """A message file that cannot be read as Asterisk's voicemail metadata."""


@dataclass(frozen=True, slots=True)
class MessageMeta:
    box: str
    context: str
    caller_number: str
    caller_name: str
    received_at: datetime
    duration_seconds: int
    msg_id: str
    linkedid: str
    caller_channel: str
    flag: str


@dataclass(frozen=True, slots=True)
class SpoolMessage:
    """One message found in the spool: its metadata and where it is (relative to the spool)."""

    meta: MessageMeta
    key: str  # the identity: msg_id, else a digest of box, time and caller
    mailbox_context: str  # the voicemail.conf context of the box (the directory's)
    mailbox: str  # the box (the directory's)
    folder: str
    stem: str  # "default/1007/INBOX/msg0000"
    audio: str  # "default/1007/INBOX/msg0000.wav", "" when no audio file is there


def parse_fields(text: str) -> dict[str, str]:
    """The `key=value` lines of the `[message]` section."""
    fields: dict[str, str] = {}
    section = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(";"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip().lower()
            continue
        key, sep, value = line.partition("=")
        if sep and section == "message":
            fields.setdefault(key.strip().lower(), value.strip())
    return fields


def split_callerid(callerid: str) -> tuple[str, str]:
    """(name, number) of `"Name" <number>`, `Name <number>` or a bare number."""
    match = _CALLERID.match(callerid)
    if match is None:
        value = callerid.strip().strip('"')
        return ("", "" if value.lower() == "unknown" else value)
    name = match.group("quoted") if match.group("quoted") is not None else match.group("bare")
    return (name or "").strip(), match.group("number").strip()


def parse_message(text: str) -> MessageMeta:
    """The metadata of one msgNNNN.txt; SpoolError when it is not one."""
    fields = parse_fields(text)
    if "origtime" not in fields:
        raise SpoolError("no [message] section with origtime")
    try:
        received = datetime.fromtimestamp(int(fields["origtime"]), UTC)
    except (ValueError, OverflowError, OSError) as error:
        raise SpoolError(f"origtime {fields['origtime']!r} is not a time") from error
    try:
        duration = max(0, int(fields.get("duration") or 0))
    except ValueError as error:
        raise SpoolError(f"duration {fields.get('duration')!r} is not a number") from error
    name, number = split_callerid(fields.get("callerid", ""))
    category = fields.get("category", "")
    linkedid = category[len(LINK_PREFIX) :] if category.startswith(LINK_PREFIX) else ""
    msg_id = fields.get("msg_id", "")
    return MessageMeta(
        box=fields.get("origmailbox", "")[:64], context=fields.get("context", "")[:80],
        caller_number=number[:64], caller_name=name[:100], received_at=received,
        duration_seconds=duration, msg_id=msg_id if _MSG_ID.match(msg_id) else "",
        linkedid=linkedid[:64] if _MSG_ID.match(linkedid) else "",
        caller_channel=fields.get("callerchan", "")[:128], flag=fields.get("flag", "")[:32],
    )  # fmt: skip


def message_key(meta: MessageMeta, mailbox_context: str, mailbox: str) -> str:
    """Asterisk's msg_id; without one, a digest of the box, the time and the caller."""
    if meta.msg_id:
        return meta.msg_id
    seen = f"{mailbox_context}/{mailbox}/{meta.received_at.timestamp():.0f}/{meta.caller_number}"
    return "sha1-" + hashlib.sha1(seen.encode(), usedforsecurity=False).hexdigest()[:32]


class VoicemailSpool:
    """The spool directory (Asterisk's `voicemail` directory, on this host or mounted)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def boxes(self) -> list[tuple[str, str]]:
        """(context, box) of every box directory in the spool."""
        found: list[tuple[str, str]] = []
        for context in _children(self.root):
            found.extend((context.name, box.name) for box in _children(context))
        return found

    def scan(self, only: tuple[str, str] | None = None) -> tuple[list[SpoolMessage], int]:
        """Every message in the spool (or in box `only`), and how many files were unreadable."""
        boxes = [only] if only is not None else self.boxes()
        found: list[SpoolMessage] = []
        broken = 0
        for context, box in boxes:
            if not (_SEGMENT.match(context) and _SEGMENT.match(box)):
                continue
            for folder in FOLDERS:
                directory = self.root / context / box / folder
                for txt in sorted(directory.glob("msg[0-9][0-9][0-9][0-9].txt")):
                    message = self._read(context, box, folder, txt)
                    if message is None:
                        broken += 1
                    else:
                        found.append(message)
        return found, broken

    def _read(self, context: str, box: str, folder: str, txt: Path) -> SpoolMessage | None:
        try:
            meta = parse_message(txt.read_text(errors="replace"))
        except (OSError, SpoolError):
            return None
        stem = f"{context}/{box}/{folder}/{txt.stem}"
        audio = next((f"{stem}{ext}" for ext in AUDIO_FORMATS
                      if txt.with_suffix(ext).is_file()), "")  # fmt: skip
        key = message_key(meta, context, box)
        return SpoolMessage(meta, key, context, box, folder, stem, audio)

    def path_of(self, relative: str) -> Path | None:
        """The file `context/box/folder/msgNNNN.ext`, only when every part is a plain name
        and it lands inside the spool (no link out)."""
        parts = PurePosixPath(relative).parts
        if len(parts) != 4 or parts[2] not in FOLDERS:
            return None
        context, box, _folder, name = parts
        stem, dot, ext = name.partition(".")
        if not (_SEGMENT.match(context) and _SEGMENT.match(box) and _MESSAGE.match(stem)):
            return None
        if not dot or f".{ext}" not in (*AUDIO_FORMATS, ".txt"):
            return None
        root = self.root.resolve()
        path = (self.root / relative).resolve()
        inside = path.is_relative_to(root) and len(path.relative_to(root).parts) == 4
        return path if inside else None

    def remove(self, stem: str) -> list[str]:
        """Delete a message's files (metadata and audio); the names removed."""
        removed: list[str] = []
        for ext in (".txt", *AUDIO_FORMATS):
            path = self.path_of(stem + ext)
            if path is not None and path.is_file():
                path.unlink()
                removed.append(stem + ext)
        return removed


def _children(directory: Path) -> list[Path]:
    try:
        return sorted(p for p in directory.iterdir() if p.is_dir() and _SEGMENT.match(p.name))
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        return []
