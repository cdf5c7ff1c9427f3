"""The small CRM the CTI bridge writes calls into. Imports nothing from cti."""
