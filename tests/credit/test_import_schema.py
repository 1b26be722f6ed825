"""What the import's speed on PostgreSQL depends on (migration credit 0008 and the session): identifier
columns compared byte by byte, the name-bigram function inlined rather than called, chunk tables kept
in memory."""

import pytest
from django.db import connection

from yingshang.credit.services.store_pipeline import TEMP_BUFFERS_PAGES, _reserve_temp_buffers

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="collations and SQL functions of PostgreSQL"),
]

IDENTIFIER_COLUMNS = [
    ("credit_subject", "id_kind"), ("credit_subject", "id_key"),
    ("credit_licenserecord", "document_no"), ("credit_penaltyrecord", "document_no"),
    ("credit_otherrecord", "document_no"),
]


@pytest.mark.parametrize(("table", "column"), IDENTIFIER_COLUMNS)
def test_identifier_columns_compare_bytes(table, column):
    # A later AlterField on these fields would silently drop the collation: this test says so.
    with connection.cursor() as cursor:
        cursor.execute("SELECT collation_name FROM information_schema.columns WHERE table_name = %s AND column_name = %s",
                       [table, column])
        assert cursor.fetchone() == ("C",)


def test_the_name_bigram_index_compares_bytes():
    # credit 0009: the GIN keys under COLLATE "C" (the search repeats it, see test_name_search).
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'credit_subject_name_bigrams'")
        (definition,) = cursor.fetchone()
    assert 'USING gin (ys_name_bigrams((name)::text) COLLATE "C")' in definition


def test_the_name_bigram_function_can_be_inlined():
    # PostgreSQL inlines a SQL function only when it is not STRICT (its body is not strict).
    with connection.cursor() as cursor:
        cursor.execute("SELECT proisstrict, provolatile FROM pg_proc WHERE proname = 'ys_name_bigrams'")
        assert cursor.fetchone() == (False, "i")
        cursor.execute("EXPLAIN (VERBOSE) SELECT ys_name_bigrams(name) FROM credit_subject")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "regexp_replace" in plan  # the body, not a call of the function


def test_the_bigrams_of_null_are_null_and_of_a_name_unchanged():
    with connection.cursor() as cursor:
        cursor.execute("SELECT ys_name_bigrams(NULL), ys_name_bigrams('恒泰商贸')")
        none, bigrams = cursor.fetchone()
    assert none is None
    assert sorted(bigrams) == ["商贸", "恒泰", "泰商", "贸"]  # the odd offsets leave the last character alone


def test_a_document_number_matches_across_the_staging_and_record_collations():
    # Staging tables use the database's default collation; equality with a "C" column must resolve.
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE t_stage (document_no varchar(128))")
        cursor.execute("INSERT INTO t_stage VALUES ('榆许字〔2026〕1号')")
        cursor.execute("SELECT count(*) FROM t_stage s LEFT JOIN credit_licenserecord r ON r.document_no = s.document_no")
        assert cursor.fetchone() == (1,)


def _temp_buffers(cursor) -> int:
    cursor.execute("SELECT setting::int FROM pg_settings WHERE name = 'temp_buffers'")
    return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_an_import_session_keeps_its_chunk_tables_in_memory():
    connection.close()  # a new session: no temporary table used yet
    with connection.cursor() as cursor:
        _reserve_temp_buffers(cursor)
        assert _temp_buffers(cursor) == TEMP_BUFFERS_PAGES


def test_a_session_that_used_temporary_tables_keeps_its_size_and_its_transaction():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE t_used (x int)")
        cursor.execute("INSERT INTO t_used VALUES (1)")
        before = _temp_buffers(cursor)
        _reserve_temp_buffers(cursor)  # refused by PostgreSQL unless the pool already has that size: no error
        assert _temp_buffers(cursor) in (before, TEMP_BUFFERS_PAGES)
        cursor.execute("SELECT count(*) FROM t_used")
        assert cursor.fetchone() == (1,)
