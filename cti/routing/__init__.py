"""Routing: the FastAGI server answering the dialplan's hook, and the rules it applies."""
