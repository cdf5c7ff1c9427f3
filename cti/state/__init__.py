"""The pure call tracker: ordered AMI events in, immutable call events out. No I/O here."""
