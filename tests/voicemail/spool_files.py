"""Voicemail messages as Asterisk 22's app_voicemail writes them into its spool."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from tests.recordings.wav import write_wav

# A message the sandbox's Asterisk 22.10 wrote (DID 350: agent 1007's box, `direct-voicemail`),
# copied from its spool on 2026-12-04.
REAL_MESSAGE = """\
;
; Message Information file
;
[message]
origmailbox=1007
context=direct-voicemail
exten=1007
rdnis=unknown
priority=5
callerchan=PJSIP/trunk-00000000
callerid="Eva Hlasova" <+420777300455>
origdate=Fri Dec  4 07:21:52 PM UTC 2026
origtime=1796412112
category=cti:1796412092.0
msg_id=1796412112-00000000
flag=
duration=8
"""


def message_text(
    *, box: str = "1007", number: str = "0903123456", name: str = "Petr Novak",
    at: datetime, linkedid: str = "", msg_id: str = "", duration: int = 3,
) -> str:  # fmt: skip
    callerid = f'"{name}" <{number}>' if number else "Unknown"
    category = f"cti:{linkedid}" if linkedid else ""
    return (
        ";\n; Message Information file\n;\n[message]\n"
        f"origmailbox={box}\ncontext=direct-voicemail\nexten={box}\n"
        f"rdnis=unknown\npriority=5\ncallerchan=PJSIP/trunk-00000000\ncallerid={callerid}\n"
        f"origdate={at:%a %b %d %I:%M:%S %p UTC %Y}\norigtime={int(at.timestamp())}\n"
        f"category={category}\nmsg_id={msg_id}\nflag=\nduration={duration}\n"
    )


def leave_message(
    root: Path, index: int = 0, *, box: str = "1007", context: str = "default",
    folder: str = "INBOX", seconds: float = 2.0, **fields: object,
) -> Path:  # fmt: skip
    """msgNNNN.txt and .wav in the box's folder; the .txt path."""
    directory = root / context / box / folder
    directory.mkdir(parents=True, exist_ok=True)
    txt = directory / f"msg{index:04d}.txt"
    txt.write_text(message_text(box=box, **fields))  # type: ignore[arg-type]
    write_wav(txt.with_suffix(".wav"), seconds)
    return txt
