"""Writes to the knowledge base, one module per area: records (services and change requests), related
records, search index, saved searches, postcodes, spreadsheet imports, good practice, reminders."""
