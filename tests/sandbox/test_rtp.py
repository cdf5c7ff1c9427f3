"""The sandbox user agent's media, without Asterisk: mu-law, SDP addresses, two streams talking."""

from __future__ import annotations

import asyncio

from cti.sandbox.sip import sdp
from cti.sandbox.sip.rtp import TONE, RtpStream, ulaw


def test_mu_law_of_known_samples() -> None:
    assert ulaw(0) == 0xFF  # silence
    assert ulaw(32767) == 0x80  # loudest positive
    assert ulaw(-32768) == 0x00  # loudest negative
    assert len(TONE) == 160
    assert len(set(TONE)) > 10


def test_where_the_other_side_wants_its_audio() -> None:
    offer = sdp.offer(40000, webrtc=False)
    assert sdp.plain_rtp(offer)
    assert sdp.media_address(offer) == ("127.0.0.1", 40000)
    assert not sdp.plain_rtp(sdp.offer(40000, webrtc=True))
    assert sdp.media_address(offer.replace("m=audio 40000", "m=audio 0")) is None


async def test_two_streams_send_20_ms_packets_both_ways() -> None:
    alice, bob = await RtpStream.open("127.0.0.1"), await RtpStream.open("127.0.0.1")
    try:
        alice.start(("127.0.0.1", bob.port))
        bob.start(("127.0.0.1", alice.port))
        await asyncio.sleep(1)
    finally:
        alice.close()
        bob.close()
    for stream in (alice, bob):
        assert 40 <= stream.sent <= 55, stream.sent  # 50 a second
        assert stream.received >= 40, stream.received
