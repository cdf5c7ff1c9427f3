"""Bulk import of contacts from CSV: read and validate every row first, then insert in bulk."""

from crm_core.importing.contacts_csv import ImportFileError, ImportReport, import_contacts_csv
from crm_core.importing.rows import COLUMNS, RejectedRow

__all__ = ["COLUMNS", "ImportFileError", "ImportReport", "RejectedRow", "import_contacts_csv"]
