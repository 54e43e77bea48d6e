"""Django's PostgreSQL backend, waiting out a database restart (``base.DatabaseWrapper``)."""
