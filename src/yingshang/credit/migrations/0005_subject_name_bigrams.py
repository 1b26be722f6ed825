"""Name search by character bigrams on PostgreSQL (replaces the pg_trgm index).

A trigram index cannot serve a two-character fragment such as “恒泰” (a common way to look up a
Chinese company), so the search fell back to scanning. Every substring of two or more characters
contains the bigrams of the query, so a GIN index over the name's bigrams finds the candidates and
`LIKE` confirms them. The bigrams are the pairs at even offsets plus those at odd offsets, built by
`regexp_replace` in one expression — no set-returning function, so it is cheap on every insert (a
trailing single character is kept too: harmless).
Needs no extension. SQLite has no such index; its search scans (it is not the scale target).
"""

from django.db import migrations

FUNCTION = r"""
CREATE OR REPLACE FUNCTION ys_name_bigrams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT array_remove(string_to_array(regexp_replace(t, '(..)', '\1,', 'g') || ',' ||
                                      regexp_replace(substr(t, 2), '(..)', '\1,', 'g'), ','), '')
$$
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    schema_editor.execute("DROP INDEX IF EXISTS credit_subject_name_trgm")
    schema_editor.execute("CREATE INDEX IF NOT EXISTS credit_subject_name_bigrams ON credit_subject "
                          "USING gin (ys_name_bigrams(name))")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS credit_subject_name_bigrams")
    schema_editor.execute("DROP FUNCTION IF EXISTS ys_name_bigrams(text)")


class Migration(migrations.Migration):
    dependencies = [("credit", "0004_records_submitted_index")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
