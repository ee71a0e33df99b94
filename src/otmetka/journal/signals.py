"""Signals the journal sends for the areas above it (the app order forbids calling them)."""

from django.dispatch import Signal

# Sent inside the transaction after a batch of a lesson's cells (marks, absences) is written,
# with `lesson`. Nothing listens today: the deadline engine (compliance) finds the saves in the
# audit events (`compliance.rollups`), so a save costs no statement for it.
cells_saved = Signal()
