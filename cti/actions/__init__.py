"""Telephony actions (queues, pause, click-to-call, listen-in) wherever the web runs.

`Telephony` is what the REST routes use. `LocalTelephony` carries an action out on the AMI
session and live state of this process (`--role all`, and the ingest answering requests);
`RemoteTelephony` (`--role web`) sends it over Redis to the active ingest and waits for its
answer (`cti.actions.server`)."""
