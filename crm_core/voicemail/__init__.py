"""Asterisk's voicemail spool, read safely: the message metadata and where its audio is."""
