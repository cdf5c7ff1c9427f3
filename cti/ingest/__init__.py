"""The ingest pipeline: AMI events -> call tracker -> sinks (call log, screen-pops, stats)."""
