"""`kernel.db.prepared_cursor`: hot statements planned once per connection on PostgreSQL, still counted."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yingshang.kernel.db import prepared_cursor

SQL = "SELECT code, name FROM kernel_department WHERE code = %s"


@pytest.mark.django_db
def test_a_prepared_statement_returns_rows_and_is_counted_like_any_query():
    from tests.factories import DepartmentFactory

    DepartmentFactory(code="610800-T1", name="测试局")
    with CaptureQueriesContext(connection) as queries, prepared_cursor() as cursor:
        cursor.execute(SQL, ["610800-T1"])
        rows = cursor.fetchall()
    assert rows == [("610800-T1", "测试局")]
    assert len(queries) == 1 and "kernel_department" in queries[0]["sql"]


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are a PostgreSQL feature here")
def test_on_postgresql_the_statement_is_prepared_once_per_connection():
    for _ in range(3):
        with prepared_cursor() as cursor:
            cursor.execute(SQL, ["none"])
            cursor.fetchall()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
                       ["%FROM kernel_department WHERE code = $1%"])
        assert cursor.fetchone()[0] == 1
