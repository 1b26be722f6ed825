"""The procedure and threshold rows that migration 0002 seeds come back after a flush."""

import pytest
from django.core.management import call_command

from yingshang.trading.models import MustTenderThreshold, Procedure
from yingshang.trading.rules import PROCEDURES, THRESHOLDS


@pytest.mark.django_db(transaction=True)
def test_a_flush_keeps_the_procedures_and_thresholds_of_the_rules():
    """`demo --reset` and transactional tests flush the database; the rules data must not vanish with it."""
    call_command("flush", "--no-input", verbosity=0)
    assert Procedure.objects.count() == len(PROCEDURES) and MustTenderThreshold.objects.count() == len(THRESHOLDS)
