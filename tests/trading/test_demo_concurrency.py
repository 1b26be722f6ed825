"""The demo seeder (the trading account lands on a queue with work; idempotent) and, on PostgreSQL,
two parallel decisions on one registration."""


import pytest

from tests.factories import DepartmentFactory, LotFactory
from tests.helpers import race
from yingshang.kernel.demo import DemoReport
from yingshang.kernel.services.audit import verify
from yingshang.trading import demo, rules
from yingshang.trading.models import Lot, TenderProject
from yingshang.trading.services import lots


@pytest.mark.django_db
def test_the_demo_gives_the_centre_a_queue_in_several_states(client, town):
    for code in ("SL", "WJ"):
        DepartmentFactory(code=f"610800-{code}", name=f"榆林市{code}局")
    demo.seed_trading(DemoReport())
    demo.seed_trading(DemoReport())  # idempotent
    assert TenderProject.objects.count() == len(demo.PROJECTS)
    states = set(Lot.objects.values_list("status", flat=True))
    assert states == {rules.REGISTERED, rules.ACCEPTED, rules.RETURNED, rules.DRAFT}
    assert Lot.objects.filter(status=rules.REGISTERED, must_tender=False).exists()  # below the threshold
    client.force_login(town.staff)
    assert "/trading/queue/" in client.get("/").content.decode()
    assert client.get("/trading/queue/").content.decode().count("/trading/lots/") == 3




@pytest.mark.django_db(transaction=True)
def test_an_accept_and_a_return_of_one_registration_have_one_winner(on_postgres, town):
    lot = LotFactory(registered=True)
    results = race([lambda: lots.do_accept(town.staff, lot.pk, 1), lambda: lots.do_return(town.staff, lot.pk, 1, "退回")])
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and errors[0].code == "trading.conflict", results
    lot.refresh_from_db()
    assert lot.row_version == 2 and lot.status in (rules.ACCEPTED, rules.RETURNED)
    assert verify().ok
