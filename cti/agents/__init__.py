"""Agent state: queue membership and pause, as Asterisk reports it over AMI."""
