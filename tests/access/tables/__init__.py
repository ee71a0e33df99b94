"""Endpoint tables of the areas, one module each (`diary.py`, `messaging.py`…).

Each module defines `ROUTES` (name → `Route`) and `STATUSES` (a grid with the same header line as
`tests/access/endpoints.py`); `endpoints.py` merges them, so a new area adds its own file and never
edits another's. Names must be unique across all tables.
"""
