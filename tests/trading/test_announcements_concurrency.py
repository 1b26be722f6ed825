"""On PostgreSQL: the tenderer and its agency answering one objection at once (one wins, the other gets
trading.conflict), and two bidders objecting at once (both filed, the lot's count of pending objections
right because filings are serialised on the lot's row)."""

import pytest
from django.db import transaction

from tests.helpers import race
from tests.trading.factories_announcements import BidderFactory, announced_lot
from yingshang.kernel.services.audit import verify
from yingshang.trading.models import DocumentObjection, Lot, TenderDocument, TenderProject
from yingshang.trading.services import clarifications, downloads

pytestmark = pytest.mark.django_db(transaction=True)


def _downloaded(lot, n):
    bidders = [BidderFactory() for _ in range(n)]
    for bidder in bidders:
        with transaction.atomic():
            downloads.do_download(bidder, TenderDocument.objects.get(lot=lot).pk)
    return bidders


def test_two_answers_to_one_objection_have_one_winner(on_postgres, town):
    lot = announced_lot(town.tenderer)
    TenderProject.objects.filter(pk=lot.project_id).update(agency_uscc=town.agency.uscc)
    (bidder,) = _downloaded(lot, 1)
    with transaction.atomic():
        objection = clarifications.do_file_objection(bidder, lot.pk, text="异议")
    results = race([lambda u=u: clarifications.do_answer_objection(u, objection.pk, 1, answer=f"答复{u.pk}")
                    for u in (town.tenderer, town.agency)])
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and errors[0].code == "trading.conflict", results
    objection.refresh_from_db()
    assert objection.status == DocumentObjection.ANSWERED and objection.row_version == 2
    assert not Lot.objects.get(pk=lot.pk).suspended and verify().ok


def test_two_objections_at_once_are_both_counted(on_postgres, town):
    lot = announced_lot(town.tenderer)
    first, second = _downloaded(lot, 2)
    results = race([lambda b=b: clarifications.do_file_objection(b, lot.pk, text="异议") for b in (first, second)])
    assert not [r for r in results if isinstance(r, Exception)], results
    lot.refresh_from_db()
    assert lot.suspended and "2件" in lot.suspension_reason and verify().ok
