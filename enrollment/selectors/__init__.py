"""Reads of enrollment data for the pages, one module per area, always through ``agents.scoping``."""
