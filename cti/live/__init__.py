"""The live transcript: a copy of each side of an agent's call, decoded while the call goes on."""
