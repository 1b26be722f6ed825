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


# --- BlockRangeIndex ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_block_range_index_is_brin_on_postgresql_and_a_btree_elsewhere():
    # The record tables' submission time (credit 0009) is the index in use.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'credit_lic_submitted_brin'")
            assert cursor.fetchone() == (
                "CREATE INDEX credit_lic_submitted_brin ON public.credit_licenserecord USING brin (submitted_at) "
                "WITH (autosummarize='on')",)
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'credit_lic_submitted_brin'")
            assert cursor.fetchone() == (
                'CREATE INDEX "credit_lic_submitted_brin" ON "credit_licenserecord" ("submitted_at")',)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="BRIN is PostgreSQL's")
def test_a_range_of_months_reads_the_block_range_index():
    from datetime import UTC, datetime

    from yingshang.credit.models import LicenseRecord

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # an empty table would be scanned otherwise
        plan = LicenseRecord.objects.filter(submitted_at__gte=datetime(2026, 1, 1, tzinfo=UTC),
                                            submitted_at__lt=datetime(2026, 2, 1, tzinfo=UTC)).explain()
    assert "credit_lic_submitted_brin" in plan
