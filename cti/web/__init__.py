"""The bridge's own HTTP surface: agent and supervisor websockets, telephony REST."""
