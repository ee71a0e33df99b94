"""Signals the journal sends for the areas above it (the app order forbids calling them)."""

from django.dispatch import Signal

# Sent inside the transaction after a batch of a lesson's cells (marks, absences) is written,
# with `lesson`. The deadline engine (compliance) marks the lesson's (course, day) rollup stale
# with one insert. Lesson fields (topic, homework, attendance) are seen by its post_save.
cells_saved = Signal()
