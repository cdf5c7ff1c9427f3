"""Settling what the bridge missed: the PBX's own event log (CEL) read back after a gap."""
