"""Voicemail on the card: the bridge's watch of MessageWaiting and its pass over the spool."""
