"""`yingshang demo --reset`, apart from test_demo.py: a transactional test cannot run inside that module's
shared demo transaction."""

import pytest
from django.core.management import call_command

from yingshang.kernel.models import User
from yingshang.kernel.services.audit import verify


@pytest.mark.django_db(transaction=True)
def test_demo_reset_starts_over(capsys):
    """Transactional (so it cannot share the module's demo): `flush` truncates tables, which PostgreSQL refuses
    inside the test's transaction."""
    call_command("demo")
    call_command("demo", "--reset")
    assert User.objects.filter(username="admin").count() == 1
    assert verify().ok
