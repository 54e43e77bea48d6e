"""Pages of the enrollment app: ``field`` (the agent's phone pages), ``participants`` (staff screens),
``imports`` (bulk import from Excel/CSV)."""
