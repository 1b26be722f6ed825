"""Cheaper index maintenance for imports on PostgreSQL: identifiers compared byte by byte, bigrams inlined.

Identifiers (a subject's `id_kind`/`id_key`, a record's `document_no`) are matched for equality and
never sorted for people, yet under the database's linguistic collation every comparison in their
unique indexes goes through strcoll. `COLLATE "C"` compares bytes: same equality, ordering by code
point (which is what C.UTF-8 does anyway). About a tenth of an import's server time went to these
comparisons. The model fields carry no `db_collation` because SQLite has no collation named "C";
`tests/credit/test_import_schema.py` fails if a later migration resets it.

`ys_name_bigrams` was declared STRICT while its body is not (string_to_array is not strict), which
stops PostgreSQL from inlining it: every subject insert ran the SQL-function executor to maintain the
name index. Without STRICT it is inlined into the index expression and the search query alike
(NULL still gives NULL), and the index stays valid: the function computes the same values.
"""

from django.db import migrations

RECORD_TABLES = ("credit_licenserecord", "credit_penaltyrecord", "credit_otherrecord")

BIGRAMS = r"""
CREATE OR REPLACE FUNCTION ys_name_bigrams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE {strict} PARALLEL SAFE AS $$
  SELECT array_remove(string_to_array(regexp_replace(t, '(..)', '\1,', 'g') || ',' ||
                                      regexp_replace(substr(t, 2), '(..)', '\1,', 'g'), ','), '')
$$
"""


def _collate(schema_editor, collation: str) -> None:
    clause = f' COLLATE "{collation}"' if collation else ""
    schema_editor.execute(f"ALTER TABLE credit_subject ALTER COLUMN id_kind TYPE varchar(24){clause}, "
                          f"ALTER COLUMN id_key TYPE varchar(64){clause}")
    for table in RECORD_TABLES:
        schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN document_no TYPE varchar(128){clause}")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(BIGRAMS.format(strict=""), params=None)
    _collate(schema_editor, "C")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(BIGRAMS.format(strict="STRICT"), params=None)
    _collate(schema_editor, "")


class Migration(migrations.Migration):
    dependencies = [("credit", "0007_reference_guards")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
