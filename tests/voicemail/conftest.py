"""The CRM tests' card fixture, for the voicemail tests."""

from tests.crm_core.conftest import add_contact

__all__ = ["add_contact"]
