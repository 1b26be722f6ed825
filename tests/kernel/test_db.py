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


# --- datetimes through raw SQL (aware, aware_rows, db_datetime) ----------------------------------


def _last_login_sql(expression: str = "last_login") -> str:
    from yingshang.kernel.models import User

    q = connection.ops.quote_name
    return f"SELECT id, {expression} FROM {q(User._meta.db_table)} WHERE username = %s"


@pytest.mark.django_db
def test_a_datetime_the_orm_wrote_reads_back_by_raw_sql_as_the_same_aware_instant():
    from datetime import datetime

    from django.utils import timezone

    from tests.factories import UserFactory
    from yingshang.kernel.db import aware_rows

    moment = timezone.make_aware(datetime(2026, 11, 20, 10, 0, 0, 123456))  # Asia/Shanghai: 02:00 UTC
    user = UserFactory(username="raw-read", last_login=moment)
    UserFactory(username="raw-none", last_login=None)
    with connection.cursor() as cursor:
        cursor.execute(_last_login_sql(), ["raw-read"])
        raw = cursor.fetchall()
        cursor.execute(_last_login_sql(), ["raw-none"])
        raw_none = cursor.fetchall()
    [(pk, value)] = aware_rows(raw, 1)
    assert pk == user.pk and value == moment and timezone.is_aware(value)
    assert timezone.localtime(value).date() == moment.date()  # what failed on SQLite: naive values
    assert aware_rows(raw_none, 1)[0][1] is None


@pytest.mark.django_db
def test_a_datetime_read_through_an_expression_comes_as_text_on_sqlite_and_is_made_aware_alike():
    from datetime import UTC, datetime

    from tests.factories import UserFactory
    from yingshang.kernel.db import aware

    moment = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    UserFactory(username="raw-text", last_login=moment)
    expression = "last_login" if connection.vendor == "postgresql" else "(last_login || '')"  # SQLite: no converter
    with connection.cursor() as cursor:
        cursor.execute(_last_login_sql(expression), ["raw-text"])
        value = cursor.fetchone()[1]
    assert isinstance(value, str) == (connection.vendor == "sqlite")
    assert aware(value) == moment


@pytest.mark.django_db
def test_a_datetime_written_by_raw_sql_is_stored_as_the_orm_stores_it_and_found_by_orm_filters():
    from datetime import datetime

    from django.utils import timezone

    from tests.factories import UserFactory
    from yingshang.kernel.db import aware, db_datetime
    from yingshang.kernel.models import User

    moment = timezone.make_aware(datetime(2026, 11, 20, 10, 0))  # a local (+08:00) value, as services pass them
    UserFactory(username="raw-write")
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {q(User._meta.db_table)} SET last_login = %s WHERE username = %s",
                       [db_datetime(moment), "raw-write"])
        cursor.execute(_last_login_sql(), ["raw-write"])
        assert aware(cursor.fetchone()[1]) == moment
        if connection.vendor == "sqlite":  # the ORM's own text: naive UTC, no offset
            cursor.execute(f"SELECT last_login || '' FROM {q(User._meta.db_table)} WHERE username = %s",
                           ["raw-write"])
            assert cursor.fetchone()[0] == "2026-11-20 02:00:00"
    assert User.objects.get(username="raw-write").last_login == moment
    assert User.objects.filter(last_login=moment, username="raw-write").exists()  # SQLite compares the text
    assert User.objects.filter(last_login__gte=moment, username="raw-write").exists()


def test_aware_keeps_none_and_aware_values_reads_text_and_refuses_what_is_no_datetime():
    from datetime import UTC, date, datetime, timedelta, timezone

    from yingshang.kernel.db import aware

    shanghai = timezone(timedelta(hours=8))
    assert aware(None) is None
    assert aware(datetime(2026, 1, 2, 3, 4, tzinfo=shanghai)).utcoffset() == timedelta(hours=8)
    assert aware(datetime(2026, 1, 2, 3, 4)) == datetime(2026, 1, 2, 3, 4, tzinfo=UTC)  # SQLite's naive UTC
    assert aware("2026-01-02 03:04:05.5") == datetime(2026, 1, 2, 3, 4, 5, 500000, tzinfo=UTC)
    assert aware("2026-01-02 11:04:05+08:00") == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    with pytest.raises(ValueError):
        aware("not a time")
    with pytest.raises(TypeError):
        aware(date(2026, 1, 2))
