"""Two administrators acting on one item at once: exactly one wins, the other gets a clear conflict (PostgreSQL)."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from tests.catalog.conftest import food_licence
from yingshang.catalog import services
from yingshang.catalog.choices import Status
from yingshang.catalog.models import ServiceItemVersion
from yingshang.kernel.errors import Conflict


def race(func, n: int = 2) -> tuple[list, list]:
    barrier, results, errors = threading.Barrier(n), [], []

    def worker():
        try:
            barrier.wait()
            with transaction.atomic():
                results.append(func())
        except (Conflict, IntegrityError) as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_parallel_publication_of_one_draft_has_one_winner(on_postgres, city):
    with transaction.atomic():
        draft = services.do_create_item("610800-XK-0001", "city", city["SCJG"], food_licence())
    results, errors = race(lambda: services.do_publish(ServiceItemVersion.objects.get(pk=draft.pk)))
    assert len(results) == 1 and len(errors) == 1
    assert errors[0].code == "catalog.version_immutable"
    assert ServiceItemVersion.objects.get(pk=draft.pk).status == Status.PUBLISHED


@pytest.mark.django_db(transaction=True)
def test_parallel_new_drafts_of_one_item_have_one_winner(on_postgres, city):
    with transaction.atomic():
        v1 = services.do_publish(services.do_create_item("610800-XK-0001", "city", city["SCJG"], food_licence()))
    results, errors = race(lambda: services.do_create_draft(v1.item))
    assert len(results) == 1 and len(errors) == 1
    assert ServiceItemVersion.objects.filter(status=Status.DRAFT).count() == 1
