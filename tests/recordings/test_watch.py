"""The watch: MixMonitor's file per channel from VarSet, its end at Hangup / MixMonitorStop."""

from __future__ import annotations

from cti.recordings.watch import RecordingBegan, RecordingEnded, RecordingWatch
from cti.state.events import AmiEvent, Resync

AGENTS = r"^(?:PJSIP|SIP|IAX2)/(1\d{3})-"


def event(name: str, **headers: str) -> AmiEvent:
    return AmiEvent(name, {"Event": name, "Timestamp": "1000.5", **headers}, 0.0)


def varset(uid: str, value: str, channel: str = "PJSIP/trunk-00000001") -> AmiEvent:
    return event(
        "VarSet", Uniqueid=uid, Linkedid="L1", Channel=channel,
        Variable="MIXMONITOR_FILENAME", Value=value,
    )  # fmt: skip


def test_a_file_begins_and_ends_with_its_channel() -> None:
    watch = RecordingWatch(AGENTS)
    began = watch.apply(varset("1.1", "/var/spool/asterisk/monitor/x-1.1.wav"))
    assert began == [
        RecordingBegan("L1", "PJSIP/trunk-00000001", "x-1.1.wav", "x-1.1-rx.wav",
                       "x-1.1-tx.wav", False, 1000.5)
    ]  # fmt: skip
    assert watch.apply(varset("1.1", "/var/spool/asterisk/monitor/x-1.1.wav")) == []  # again
    assert watch.apply(event("Hangup", Uniqueid="9.9")) == []
    assert watch.apply(event("Hangup", Uniqueid="1.1")) == [RecordingEnded(("x-1.1.wav",), 1000.5)]
    assert len(watch) == 0


def test_an_agent_channel_and_stop_mix_monitor() -> None:
    watch = RecordingWatch(AGENTS)
    (began,) = watch.apply(varset("2.1", "y.wav", channel="PJSIP/1001-00000002"))
    assert isinstance(began, RecordingBegan)
    assert began.on_agent_channel
    watch.apply(varset("2.1", "z.wav", channel="PJSIP/1001-00000002"))  # a second MixMonitor
    assert watch.apply(event("MixMonitorStop", Uniqueid="2.1")) == [
        RecordingEnded(("y.wav", "z.wav"), 1000.5)
    ]


def test_unsafe_names_are_refused() -> None:
    watch = RecordingWatch(AGENTS)
    assert watch.apply(varset("3.1", "../../etc/passwd")) == []
    assert watch.apply(varset("3.1", "")) == []
    assert watch.refused == 1


def test_a_resync_ends_recordings_of_channels_gone() -> None:
    watch = RecordingWatch(AGENTS)
    watch.apply(varset("4.1", "a.wav"))
    watch.apply(varset("4.2", "b.wav"))
    alive = event("CoreShowChannel", Uniqueid="4.2")
    notes = watch.apply(Resync(channels=(alive,), queue_entries=(), received_at=2000.0))
    assert notes == [RecordingEnded(("a.wav",), 2000.0)]
