"""The SQLite cursor converts "%s" to "?" once per query text (`config/sqlite`): the same
answers as Django's conversion, a literal "%%" kept as "%", named parameters untouched."""

import pytest
from django.db import connection

from otmetka.config.sqlite.base import CursorWrapper, _qmark

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's cursor")


@pytest.mark.django_db
def test_the_conversion_is_django_s_and_made_once() -> None:
    sql = "SELECT %s || '%%' || %s, '%%s'"
    for _ in range(2):
        with connection.cursor() as cursor:
            assert isinstance(cursor.cursor, CursorWrapper)
            cursor.execute(sql, ["a", "b"])
            assert cursor.fetchone() == ("a%b", "%s")
    assert _qmark(sql) == "SELECT ? || '%' || ?, '%s'"
    assert _qmark.cache_info().hits >= 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT %(x)s", {"x": 7})
        assert cursor.fetchone() == (7,)
