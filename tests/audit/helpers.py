"""Helpers of the audit tests."""

from django.db import connection


def append_only_lift() -> None:
    """What the database owner (or a migration before audit 0004) can do: drop the trigger that
    refuses an UPDATE of an audit event. Rolled back with the test's transaction."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER audit_event_append_only ON audit_event")
        else:
            cursor.execute("DROP TRIGGER audit_event_append_only")
