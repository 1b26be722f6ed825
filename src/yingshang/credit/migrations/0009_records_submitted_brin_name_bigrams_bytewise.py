"""Cheaper inserts for imports on PostgreSQL: submission times by block range, name bigrams compared bytewise.

- `submitted_at` of the record tables: a BRIN index instead of a B-tree (`kernel.db.BlockRangeIndex`;
  a B-tree on SQLite). Every row of an import batch has the same submission time, so the B-tree
  rewrote one ever-growing posting list per inserted row — about a tenth of an import's server time.
  Monitoring and the dashboard only ask for ranges of months, which block ranges answer.
- The name-bigram GIN index compares its keys under `COLLATE "C"` (bytes) instead of the database's
  linguistic collation: every insert sorts a name's bigrams and merges them into the index through
  strcoll. The bigrams are matched for containment only, so the byte order changes no result; the
  search writes the same COLLATE so that it still uses the index (`publicity.subjects_named`).
"""

from django.db import migrations

import yingshang.kernel.db

INDEX = "credit_subject_name_bigrams"


def _bigram_index(schema_editor, collate: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(f"CREATE INDEX {INDEX} ON credit_subject USING gin ((ys_name_bigrams(name){collate}))")


def forwards(apps, schema_editor):
    _bigram_index(schema_editor, ' COLLATE "C"')


def backwards(apps, schema_editor):
    _bigram_index(schema_editor, "")


class Migration(migrations.Migration):

    dependencies = [
        ('credit', '0008_identifier_collation_inline_bigrams'),
        ('kernel', '0003_storedfile'),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
        migrations.RemoveIndex(
            model_name='licenserecord',
            name='credit_lic_submitted_idx',
        ),
        migrations.RemoveIndex(
            model_name='otherrecord',
            name='credit_oth_submitted_idx',
        ),
        migrations.RemoveIndex(
            model_name='penaltyrecord',
            name='credit_pen_submitted_idx',
        ),
        migrations.AddIndex(
            model_name='licenserecord',
            index=yingshang.kernel.db.BlockRangeIndex(fields=['submitted_at'], name='credit_lic_submitted_brin'),
        ),
        migrations.AddIndex(
            model_name='otherrecord',
            index=yingshang.kernel.db.BlockRangeIndex(fields=['submitted_at'], name='credit_oth_submitted_brin'),
        ),
        migrations.AddIndex(
            model_name='penaltyrecord',
            index=yingshang.kernel.db.BlockRangeIndex(fields=['submitted_at'], name='credit_pen_submitted_brin'),
        ),
    ]
