"""The spool reader on Asterisk's own msgNNNN.txt: the fields, the caller, the link, the identity,
and names it refuses."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from crm_core.voicemail.spool import (
    SpoolError,
    VoicemailSpool,
    message_key,
    parse_message,
    split_callerid,
)
from tests.voicemail.spool_files import REAL_MESSAGE, leave_message

AT = datetime(2026, 12, 4, 19, 10, 12, tzinfo=UTC)


def test_a_real_message_file_is_read() -> None:
    meta = parse_message(REAL_MESSAGE)
    assert (meta.box, meta.context) == ("1007", "direct-voicemail")
    assert (meta.caller_name, meta.caller_number) == ("Eva Hlasova", "+420777300455")
    assert meta.received_at == datetime(2026, 12, 4, 19, 21, 52, tzinfo=UTC)  # origtime
    assert meta.duration_seconds == 8
    assert meta.msg_id == "1796412112-00000000"
    assert meta.linkedid == "1796412092.0"  # the dialplan's VM_CATEGORY=cti:<linkedid>
    assert meta.caller_channel == "PJSIP/trunk-00000000"
    assert message_key(meta, "default", "1007") == "1796412112-00000000"


@pytest.mark.parametrize(
    ("callerid", "expected"),
    [
        ('"Novák, Petr" <+421903123456>', ("Novák, Petr", "+421903123456")),
        ("Petr <0903123456>", ("Petr", "0903123456")),
        ("<0903123456>", ("", "0903123456")),
        ("0903123456", ("", "0903123456")),
        ("Unknown", ("", "")),
        ("", ("", "")),
    ],
)
def test_caller_ids_in_every_form(callerid: str, expected: tuple[str, str]) -> None:
    assert split_callerid(callerid) == expected


def test_an_older_message_without_msg_id_or_link_gets_a_stable_key() -> None:
    text = REAL_MESSAGE.replace("msg_id=1796412112-00000000\n", "").replace(
        "category=cti:1796412092.0", "category=urgent"
    )
    meta = parse_message(text)
    assert (meta.msg_id, meta.linkedid) == ("", "")
    key = message_key(meta, "default", "1007")
    assert key.startswith("sha1-")
    assert key == message_key(parse_message(text), "default", "1007")
    assert key != message_key(meta, "default", "1008")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "[general]\norigtime=1\n",
        "[message]\norigtime=soon\n",
        "[message]\norigtime=1796412112\nduration=long\n",
    ],
)
def test_what_is_not_a_message_is_refused(text: str) -> None:
    with pytest.raises(SpoolError):
        parse_message(text)


def test_the_scan_finds_every_box_and_folder(tmp_path: Path) -> None:
    leave_message(tmp_path, 0, at=AT, msg_id="a-1")
    leave_message(tmp_path, 1, at=AT, msg_id="a-2")
    leave_message(tmp_path, 0, folder="Old", at=AT, msg_id="a-3")
    leave_message(tmp_path, 0, box="100", at=AT, msg_id="b-1")
    (tmp_path / "default" / "1007" / "INBOX" / "msg0002.txt").write_text("garbage")
    (tmp_path / "default" / "1007" / "tmp").mkdir()  # Asterisk's half-written messages
    (tmp_path / "default" / "1007" / "tmp" / "msg0000.txt").write_text("[message]\n")
    spool = VoicemailSpool(tmp_path)
    assert spool.boxes() == [("default", "100"), ("default", "1007")]
    messages, broken = spool.scan()
    assert broken == 1
    assert [(m.mailbox, m.folder, m.key) for m in messages] == [
        ("100", "INBOX", "b-1"), ("1007", "INBOX", "a-1"), ("1007", "INBOX", "a-2"),
        ("1007", "Old", "a-3"),
    ]  # fmt: skip
    assert messages[1].audio == "default/1007/INBOX/msg0000.wav"
    only, _ = spool.scan(("default", "100"))
    assert [m.key for m in only] == ["b-1"]


def test_only_plain_spool_names_are_opened(tmp_path: Path) -> None:
    root = tmp_path / "spool"
    leave_message(root, 0, at=AT, msg_id="a-1")
    (tmp_path / "secret.wav").write_bytes(b"x")
    (root / "default" / "1007" / "INBOX" / "msg0009.wav").symlink_to(tmp_path / "secret.wav")
    spool = VoicemailSpool(root)
    assert spool.path_of("default/1007/INBOX/msg0000.wav") is not None
    for name in ("../secret.wav", "default/1007/INBOX/../../../../secret.wav",
                 "default/1007/tmp/msg0000.wav", "default/1007/INBOX/msg0000.sh",
                 "default/1007/INBOX/greeting.wav", "/etc/passwd",
                 "default/1007/INBOX/msg0009.wav"):  # fmt: skip
        assert spool.path_of(name) is None, name


def test_a_missing_spool_is_empty(tmp_path: Path) -> None:
    assert VoicemailSpool(tmp_path / "not-mounted").scan() == ([], 0)
