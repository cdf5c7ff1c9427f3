"""The Asterisk sandbox: a Debian sid chroot running Asterisk 22 with the repository's dialplans,
a minimal SIP user agent standing in for agents' phones and the carrier, and the call simulator."""
