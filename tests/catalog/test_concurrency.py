"""Two administrators acting on one item at once: exactly one wins, the other gets a clear conflict (PostgreSQL)."""

import pytest
from django.db import IntegrityError, transaction

from tests.catalog.conftest import food_licence
from tests.helpers import race
from yingshang.catalog import services
from yingshang.catalog.choices import Status
from yingshang.catalog.models import ServiceItemVersion
from yingshang.kernel.errors import Conflict


def race_twice(func) -> tuple[list, list]:
    """The same call from two administrators at once: (results, conflicts)."""
    outcomes = race([func, func])
    errors = [o for o in outcomes if isinstance(o, (Conflict, IntegrityError))]
    others = [o for o in outcomes if isinstance(o, Exception) and o not in errors]
    if others:
        raise others[0]
    return [o for o in outcomes if not isinstance(o, Exception)], errors


@pytest.mark.django_db(transaction=True)
def test_parallel_publication_of_one_draft_has_one_winner(on_postgres, city):
    with transaction.atomic():
        draft = services.do_create_item("610800-XK-0001", "city", city["SCJG"], food_licence())
    results, errors = race_twice(lambda: services.do_publish(ServiceItemVersion.objects.get(pk=draft.pk)))
    assert len(results) == 1 and len(errors) == 1
    assert errors[0].code == "catalog.version_immutable"
    assert ServiceItemVersion.objects.get(pk=draft.pk).status == Status.PUBLISHED


@pytest.mark.django_db(transaction=True)
def test_parallel_new_drafts_of_one_item_have_one_winner(on_postgres, city):
    with transaction.atomic():
        v1 = services.do_publish(services.do_create_item("610800-XK-0001", "city", city["SCJG"], food_licence()))
    results, errors = race_twice(lambda: services.do_create_draft(v1.item))
    assert len(results) == 1 and len(errors) == 1
    assert ServiceItemVersion.objects.filter(status=Status.DRAFT).count() == 1
