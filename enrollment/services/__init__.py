"""Writes to enrollment data, one module per area: ``enrolment`` (an agent enrols a worker and records
contributions), ``participants`` (staff edit and move participants), ``imports`` (bulk import)."""
