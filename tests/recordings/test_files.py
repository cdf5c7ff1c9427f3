"""Recording file names from the PBX are never trusted; probing tells size, length, completeness."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm_core.recordings.files import RecordingFiles, content_type, safe_name
from crm_core.recordings.probe import probe
from tests.recordings.wav import write_wav


@pytest.mark.parametrize(
    ("reported", "name"),
    [
        ("/var/spool/asterisk/monitor/20261203-1-1.2.wav", "20261203-1-1.2.wav"),
        ("20261203-1-1.2.wav", "20261203-1-1.2.wav"),
        ("C:\\rec\\a.wav", "a.wav"),
        ("../../etc/passwd", None),
        ("/etc/shadow", None),
        ("..wav", None),
        (".hidden.wav", None),
        ("a b.wav", None),
        ("a.wav\x00.txt", None),
        ("a.exe", None),
        ("", None),
    ],
)
def test_only_plain_audio_file_names_are_kept(reported: str, name: str | None) -> None:
    assert safe_name(reported) == name


def test_paths_stay_inside_the_directory(tmp_path: Path) -> None:
    root = tmp_path / "monitor"
    root.mkdir()
    outside = tmp_path / "secret.wav"
    outside.write_bytes(b"x")
    (root / "link.wav").symlink_to(outside)
    files = RecordingFiles(root)
    assert files.path_of("a.wav") == (root / "a.wav").resolve()
    assert files.path_of("../secret.wav") is None
    assert files.path_of("link.wav") is None  # a link out of the directory
    assert files.path_of("") is None


def test_content_types() -> None:
    assert content_type("a.wav") == "audio/wav"
    assert content_type("a.WAV") == "audio/wav"
    assert content_type("a.bin") == "application/octet-stream"


def test_a_closed_wav_is_complete_with_its_duration(tmp_path: Path) -> None:
    content = write_wav(tmp_path / "a.wav", 1.5)
    found = probe(tmp_path / "a.wav")
    assert found is not None
    assert (found.size_bytes, found.duration_seconds, found.complete) == (len(content), 1.5, True)


def test_a_wav_being_written_is_not_complete(tmp_path: Path) -> None:
    write_wav(tmp_path / "a.wav", 1.0, closed=False)
    found = probe(tmp_path / "a.wav")
    assert found is not None
    assert not found.complete


def test_garbage_and_missing_files(tmp_path: Path) -> None:
    (tmp_path / "bad.wav").write_bytes(b"not a wave file at all")
    found = probe(tmp_path / "bad.wav")
    assert found is not None
    assert not found.complete
    assert found.duration_seconds is None
    assert probe(tmp_path / "none.wav") is None
