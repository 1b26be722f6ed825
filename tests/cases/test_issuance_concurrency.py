"""Two people issuing (or delivering) one case at once: exactly one wins, the other gets 409; numbers stay contiguous."""

from datetime import date

import pytest
from django.db import transaction

from tests.cases.factories_issuance import approved_case, issued_case
from tests.helpers import race
from yingshang.cases.models import Delivery, Issuance
from yingshang.cases.services import issuance
from yingshang.kernel.errors import Conflict
from yingshang.kernel.models import AuditEntry
from yingshang.kernel.services.audit import verify
from yingshang.licences.models import ELicense


@pytest.mark.django_db(transaction=True)
def test_two_department_staff_issuing_one_case_have_exactly_one_winner(on_postgres, city, food, official_calendar):
    case = approved_case(city, food)
    rv = case.row_version
    results = race([lambda: issuance.do_issue(city.reviewer_scjg, case.pk, rv),
                     lambda: issuance.do_issue(city.head_scjg, case.pk, rv)])
    winners = [r for r in results if isinstance(r, Issuance)]
    losers = [r for r in results if isinstance(r, Exception)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert isinstance(losers[0], Conflict) and losers[0].code == "case.conflict"
    assert Issuance.objects.count() == 1 and ELicense.objects.count() == 1
    assert AuditEntry.objects.filter(action="cases.case.issue").count() == 1
    # the loser drew no number (it waited on the case lock): the next case gets serial 2
    nxt = approved_case(city, food)
    with transaction.atomic():
        number = issuance.do_issue(city.reviewer_scjg, nxt.pk, nxt.row_version).number
    assert number.endswith(f"{date.today().year}000002")
    assert verify().ok


@pytest.mark.django_db(transaction=True)
def test_parallel_issuance_of_different_cases_gives_distinct_contiguous_numbers(on_postgres, city, food, official_calendar):
    cases = [approved_case(city, food) for _ in range(4)]
    results = race([lambda c=c: issuance.do_issue(city.reviewer_scjg, c.pk, c.row_version) for c in cases])
    assert all(isinstance(r, Issuance) for r in results), results
    serials = sorted(int(r.number[-6:]) for r in results)
    assert serials == [1, 2, 3, 4]


@pytest.mark.django_db(transaction=True)
def test_two_halls_handing_out_one_licence_have_exactly_one_winner(on_postgres, city, food, official_calendar):
    case = issued_case(city, food)
    rv = case.row_version
    results = race([
        lambda: issuance.do_deliver_pickup(city.clerk, case.pk, rv, picked_up_by="张伟", id_number="61080219900101123X"),
        lambda: issuance.do_deliver_express(city.clerk2, case.pk, rv, carrier="sf", tracking_no="SF1234567890123",
                                            recipient="张伟", phone="13800138000", address="榆林市"),
    ])
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], Conflict) and errors[0].code == "case.conflict", results
    assert Delivery.objects.count() == 1
    case.refresh_from_db()
    assert case.status == "concluded" and case.row_version == rv + 1
