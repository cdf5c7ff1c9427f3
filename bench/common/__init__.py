"""Helpers shared by the benches (not a bench themselves: `make bench` runs only bench/*.py)."""
