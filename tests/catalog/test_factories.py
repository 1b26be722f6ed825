"""The shared test factory other apps use for catalog items builds valid, published versions."""

import pytest

from tests.factories import published_service_item
from yingshang.catalog import services

pytestmark = pytest.mark.django_db


def test_published_service_item_is_in_force_and_passes_the_rules():
    version = published_service_item()
    assert version.status == "published" and services.version_in_force(version.item) == version
    assert [s.step_kind for s in version.steps.all()] == ["accept", "review", "decide"]
    immediate = published_service_item("610800-XK-9002", owner=version.item.department, kind="immediate", committed=0,
                                       statutory=None)
    assert immediate.steps.count() == 1
