"""A minimal SIP user agent over UDP: enough to register phones, ring, answer, reject and hang up.

It exists so the sandbox's agents are real PJSIP endpoints (channels `PJSIP/1001-...` in AMI)
without any SIP phone. Plain RTP legs (the trunk) carry a real tone (rtp.py); WebRTC legs none.
"""
