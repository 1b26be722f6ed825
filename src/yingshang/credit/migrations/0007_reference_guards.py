"""Guards for the references of credit records, which have no FK constraints (see models.records).

A BEFORE DELETE trigger on each referenced table refuses to delete a row that a licence, penalty or
other credit record still references — what the constraints' "no action" did — with SQLSTATE 23503
(foreign_key_violation), which Django raises as IntegrityError. One check per deleted row instead of
one per inserted record. PostgreSQL only: on SQLite Django's PROTECT / SET_NULL guard deletions (a
trigger there would also fire during the test runner's table-by-table flush).
"""

from django.db import migrations

RECORD_TABLES = ("credit_licenserecord", "credit_penaltyrecord", "credit_otherrecord")
GUARDS = (("credit_subject", "subject_id"), ("kernel_department", "department_id"), ("credit_importbatch", "batch_id"))

FUNCTION = """
CREATE OR REPLACE FUNCTION ys_credit_refuse_referenced_delete() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  t text;
  hit integer;
BEGIN
  FOREACH t IN ARRAY ARRAY[{tables}] LOOP
    EXECUTE format('SELECT 1 FROM %I WHERE %I = $1 LIMIT 1', t, TG_ARGV[0]) INTO hit USING OLD.id;
    IF hit IS NOT NULL THEN
      RAISE EXCEPTION 'credit records in % still reference %.id = %', t, TG_TABLE_NAME, OLD.id
        USING ERRCODE = 'foreign_key_violation';
    END IF;
  END LOOP;
  RETURN OLD;
END
$$
""".replace("{tables}", ", ".join(f"'{t}'" for t in RECORD_TABLES))


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)  # no placeholders: %I belongs to format()
    for table, column in GUARDS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS ys_credit_records_guard ON {table}")
        schema_editor.execute(f"CREATE TRIGGER ys_credit_records_guard BEFORE DELETE ON {table} FOR EACH ROW "
                              f"EXECUTE FUNCTION ys_credit_refuse_referenced_delete('{column}')")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, _column in GUARDS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS ys_credit_records_guard ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS ys_credit_refuse_referenced_delete()")


class Migration(migrations.Migration):
    dependencies = [("credit", "0006_records_without_fk_constraints"), ("kernel", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
