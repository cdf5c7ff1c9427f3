"""Calls without people: scripted callers, agents and carrier driving the sandbox."""
