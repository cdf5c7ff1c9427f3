"""Scheduled call-backs at run time: notify the agent's page at the due time, auto-dial."""
