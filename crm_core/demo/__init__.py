"""Demo data: `load_demo_data(services)`; see crm_core.demo.loader."""

from crm_core.demo.loader import DEMO_PASSWORD, DEMO_USERS, DemoSummary, load_demo_data

__all__ = ["DEMO_PASSWORD", "DEMO_USERS", "DemoSummary", "load_demo_data"]
