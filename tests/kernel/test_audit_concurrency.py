"""Parallel transactions appending audit entries keep one linear, intact chain (PostgreSQL)."""

import threading

import pytest
from django.db import connection, transaction

from yingshang.kernel.models import AuditEntry
from yingshang.kernel.services.audit import record, verify


@pytest.mark.django_db(transaction=True)
def test_parallel_appends_form_one_intact_chain(on_postgres):
    barrier = threading.Barrier(4)
    errors = []

    def worker(n: int) -> None:
        try:
            barrier.wait()
            for i in range(25):
                with transaction.atomic():
                    record("test.parallel", object_type="test", object_id=f"{n}-{i}")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True)) == list(range(1, 101))
    assert verify().ok
