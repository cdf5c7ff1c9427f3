"""Call recordings: linking MixMonitor's files to calls, and deleting them after retention."""
