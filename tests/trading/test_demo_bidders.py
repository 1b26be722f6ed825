"""The demo's bidders: accounts in bulk from the credit demo's enterprises, the barred ones first; idempotent."""

import pytest
from django.utils import timezone

from tests.trading.credit_lists import bidding_blacklist, put_on
from yingshang.credit.models import Subject
from yingshang.kernel import access
from yingshang.kernel.demo import DemoReport
from yingshang.kernel.errors import Forbidden
from yingshang.kernel.models import User
from yingshang.kernel.rules.identifiers import generate_uscc
from yingshang.trading import demo_bidders
from yingshang.trading.services import credit_gate

pytestmark = pytest.mark.django_db


def test_bidders_are_made_once_and_the_barred_ones_meet_the_gate(town):
    import random

    rng = random.Random(5)
    c = bidding_blacklist()
    put_on(c, c["black"], generate_uscc(rng, division_code="610802", authority="9", category="1"), "失信建设有限公司")
    now = timezone.now()
    for i in range(20):
        code = generate_uscc(rng, division_code="610802", authority="9", category="1")
        Subject.objects.create(kind="legal_person", id_kind="uscc", name=f"投标企业{i}", id_key=code, id_display=code,
                               created_at=now, updated_at=now)
    demo_bidders.seed_bidders(DemoReport())
    demo_bidders.seed_bidders(DemoReport())
    bidders = User.objects.filter(roles__code=access.BIDDER)
    assert bidders.count() == 21
    first = bidders.get(username="bidder001")
    assert first.organization_name == "失信建设有限公司" and first.has_usable_password()
    with pytest.raises(Forbidden) as exc:
        credit_gate.check(first.uscc, stage="bid", reference="demo", department=town.zj)
    assert exc.value.code == "trading.credit_barred"
