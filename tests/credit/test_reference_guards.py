"""Credit records reference their subject, department and batch without FK constraints (imports run a
fifth faster); deleting a referenced row is still refused — by PROTECT in Django on every database and
by a trigger on PostgreSQL, whatever issues the DELETE."""

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from tests.credit.conftest import uscc
from tests.credit.factories_objections import licence, subject_for
from tests.factories import DepartmentFactory
from yingshang.credit.models import ImportBatch, LicenseRecord, PenaltyRecord, Subject

pytestmark = pytest.mark.django_db


def _raw_delete(table: str, pk: int) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [pk])


def test_the_record_tables_carry_no_foreign_key_constraints():
    with connection.cursor() as cursor:
        for model in (LicenseRecord, PenaltyRecord):
            constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
            assert not [name for name, c in constraints.items() if c["foreign_key"]], model


def test_django_refuses_to_delete_a_subject_or_department_with_records():
    dept = DepartmentFactory()
    subject = subject_for(uscc(501))
    licence(dept, subject)
    with pytest.raises(ProtectedError):
        subject.delete()
    with pytest.raises(ProtectedError):
        dept.delete()


def test_the_database_refuses_to_delete_referenced_rows(on_postgres):
    dept = DepartmentFactory()
    subject = subject_for(uscc(502))
    batch = ImportBatch.objects.create(kind="license", department=dept, source="api", file_name="x.csv",
                                       created_at=timezone.now())
    licence(dept, subject, batch=batch)
    for table, pk in (("credit_subject", subject.pk), ("kernel_department", dept.pk), ("credit_importbatch", batch.pk)):
        with pytest.raises(IntegrityError, match="still reference"):
            _raw_delete(table, pk)
    assert Subject.objects.filter(pk=subject.pk).exists()


def test_rows_no_record_references_can_be_deleted(on_postgres):
    subject = subject_for(uscc(503))
    other = subject_for(uscc(504))
    licence(DepartmentFactory(), other, decided=date(2026, 5, 1))
    _raw_delete("credit_subject", subject.pk)
    assert not Subject.objects.filter(pk=subject.pk).exists()
