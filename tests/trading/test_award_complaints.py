"""Complaints (§9): filing within 10 days with the objection first, acceptance within 3 working days,
decision within 30 working days with clock-stops not counted (kernel calendar), suspension of the
procedure lifted at the decision, publication, malicious complaints; regulator scoping."""

from datetime import timedelta

import pytest
from django.db import transaction

from tests.trading.factories_award import evaluated_lot, pdf_upload, publish
from tests.trading.test_award_services import travel  # noqa: F401  (fixture)
from yingshang.kernel import clock
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from yingshang.kernel.models import AuditEntry
from yingshang.kernel.services import calendar
from yingshang.trading.models import Lot
from yingshang.trading.services import complaints, publicity

pytestmark = pytest.mark.django_db


def act(call, *args, **kwargs):
    with transaction.atomic():
        return call(*args, **kwargs)


def data(**overrides):
    return {"matter": "other", "known_on": clock.today().isoformat(), "facts": "评标委员会成员与候选人存在利害关系",
            "grounds": "《招标投标法实施条例》第四十六条", "request": "责令重新评标", **overrides}


@pytest.fixture
def setup(town):
    lot, cands, others = evaluated_lot(town)
    publish(town, lot)
    return lot, cands, others[0].bidder


def test_filing_with_evidence_sets_the_acceptance_due_date(setup):
    lot, _, bidder = setup
    c = act(complaints.do_file, bidder, lot.pk, data(), [("利害关系证明", pdf_upload("证明.pdf"))])
    assert c.status == "filed" and c.regulator == lot.project.regulator
    assert c.accept_by == calendar.add_working_days(clock.today(), 3).date
    assert c.evidence.get().file.original_name == "证明.pdf"
    assert AuditEntry.objects.filter(action="trading.complaint.file", object_id=str(c.pk)).exists()


@pytest.mark.parametrize(("changes", "code"), [
    ({"known_on": "2026-04-09"}, "trading.complaint_too_late"),
    ({"matter": "result"}, "trading.objection_first"),
    ({"matter": "documents"}, "trading.objection_first"),
    ({"facts": ""}, "trading.facts_required"),
    ({"matter": "nonsense"}, "trading.matter_invalid"),
])
def test_filing_refusals(setup, changes, code):
    lot, _, bidder = setup
    with pytest.raises(InvalidInput) as err:
        act(complaints.do_file, bidder, lot.pk, data(**changes))
    assert err.value.code == code


def test_a_result_complaint_after_an_objection_and_a_documents_one_with_its_date(setup):
    lot, _, bidder = setup
    act(publicity.do_object, bidder, lot.pk, content="异议")
    c = act(complaints.do_file, bidder, lot.pk, data(matter="result"))
    assert c.objection is not None
    d = act(complaints.do_file, bidder, lot.pk, data(matter="documents", prior_objection_on="2026-04-10"))
    assert str(d.prior_objection_on) == "2026-04-10"


def test_only_bidders_of_the_lot_file_bad_evidence_refused(setup, town):
    lot, _, bidder = setup
    with pytest.raises(Forbidden):
        act(complaints.do_file, town.tenderer, lot.pk, data())
    from tests.trading.factories_award import BidderFactory

    with pytest.raises(Forbidden) as err:
        act(complaints.do_file, BidderFactory(), lot.pk, data())
    assert err.value.code == "trading.not_a_bidder"
    bad = pdf_upload("x.pdf").__class__("x.pdf", b"not a pdf at all", content_type="application/pdf")
    with pytest.raises(InvalidInput) as err:
        act(complaints.do_file, bidder, lot.pk, data(), [("x", bad)])
    assert err.value.code == "upload.bad_type"


def test_accept_suspend_stop_the_clock_and_decide(setup, town, travel):  # noqa: F811
    lot, _, bidder = setup
    c = act(complaints.do_file, bidder, lot.pk, data())
    with pytest.raises(NotFound):
        act(complaints.do_accept, town.reviewer_jt, c.pk, c.row_version)  # another industry's regulator
    c = act(complaints.do_accept, town.reviewer_zj, c.pk, c.row_version, note="符合受理条件", suspend=True)
    accepted = c.accepted_on
    assert c.decide_by == calendar.add_working_days(accepted, 30).date
    lot.refresh_from_db()
    assert lot.suspended and "投诉" in lot.suspension_reason
    start = travel(7)
    c = complaints.complaint(town.reviewer_zj, c.pk)
    act(complaints.do_stop_clock, town.reviewer_zj, c.pk, c.row_version, kind="appraisal", reason="委托司法鉴定")
    with pytest.raises(Conflict) as err:
        act(complaints.do_stop_clock, town.reviewer_zj, c.pk, c.row_version + 1, kind="testing", reason="x")
    assert err.value.code == "trading.clock_already_stopped"
    resumed = travel(14)
    c = act(complaints.do_resume_clock, town.reviewer_zj, c.pk, c.row_version + 1)
    stop = c.clock_stops.get()
    assert (stop.from_date, stop.to_date) == (start, resumed - timedelta(days=1))
    assert c.decide_by == calendar.add_working_days(accepted, 30, [(stop.from_date, stop.to_date)]).date
    assert c.decide_by > calendar.add_working_days(accepted, 30).date
    with pytest.raises(InvalidInput) as err:
        act(complaints.do_decide, town.reviewer_zj, c.pk, c.row_version, outcome="upheld", decision="x", malicious=True,
            malicious_reason="捏造事实")
    assert err.value.code == "trading.malicious_but_upheld"
    c = act(complaints.do_decide, town.reviewer_zj, c.pk, c.row_version, outcome="dismissed", decision="投诉缺乏事实依据",
            malicious=True, malicious_reason="提供虚假证据")
    assert c.status == "decided" and c.published_at and not c.suspends_procedure
    assert not Lot.objects.get(pk=lot.pk).suspended
    assert list(complaints.published()) == [c]
    assert list(complaints.malicious(town.reviewer_zj)) == [c] and list(complaints.malicious(town.reviewer_jt)) == []
    assert AuditEntry.objects.filter(action="trading.complaint.malicious", object_id=str(c.pk)).exists()


def test_reject_and_scoping_of_the_queue(setup, town, travel):  # noqa: F811
    lot, _, bidder = setup
    c = act(complaints.do_file, bidder, lot.pk, data())
    assert list(complaints.complaints_for(town.reviewer_jt)) == []
    assert list(complaints.complaints_for(bidder)) == [c]
    assert list(complaints.complaints_for(town.staff)) == [c]
    with pytest.raises(Forbidden):
        complaints.complaints_for(town.citizen)
    with pytest.raises(Forbidden):
        act(complaints.do_reject, bidder, c.pk, c.row_version, reason="x")
    travel(5)
    assert complaints.overdue_of(c).label == "受理审查已超期"
    c = act(complaints.do_reject, town.reviewer_zj, c.pk, c.row_version, reason="不属于本部门受理范围")
    assert c.status == "not_accepted"
    entry = AuditEntry.objects.get(action="trading.complaint.reject", object_id=str(c.pk))
    assert '"on_time":false' in entry.summary.replace(" ", "")
    with pytest.raises(Conflict) as err:
        act(complaints.do_decide, town.reviewer_zj, c.pk, c.row_version, outcome="dismissed", decision="x")
    assert err.value.code == "trading.transition_not_allowed"


def test_the_complainant_is_told_and_may_withdraw_which_lifts_the_suspension(setup, town):
    from yingshang.kernel.models import Message

    lot, _, bidder = setup
    c = act(complaints.do_file, bidder, lot.pk, data())
    c = act(complaints.do_accept, town.reviewer_zj, c.pk, c.row_version, suspend=True)
    assert Message.objects.filter(recipient=bidder, subject__contains="已受理").exists()
    assert Lot.objects.get(pk=lot.pk).suspended
    from tests.trading.factories_award import BidderFactory

    with pytest.raises(Forbidden):
        act(complaints.do_withdraw, town.other_tenderer, c.pk, c.row_version)
    with pytest.raises(NotFound):
        act(complaints.do_withdraw, BidderFactory(), c.pk, c.row_version)  # not the complainant
    c = act(complaints.do_withdraw, bidder, c.pk, c.row_version)
    assert c.status == "withdrawn" and not Lot.objects.get(pk=lot.pk).suspended


def test_a_suspension_stops_the_award_and_the_contract(setup, town, travel):  # noqa: F811
    from tests.trading.factories_award import members
    from yingshang.trading.services import award

    lot, _, bidder = setup
    c = act(complaints.do_file, bidder, lot.pk, data())
    act(complaints.do_accept, town.reviewer_zj, c.pk, c.row_version, suspend=True)
    travel(4)
    with pytest.raises(Conflict) as err:
        act(award.do_award, town.tenderer, lot.pk, None, members=members(), reasons="x")
    assert err.value.code == "trading.lot_suspended"


def test_another_parts_suspension_is_kept(setup, town):
    lot, _, bidder = setup
    Lot.objects.filter(pk=lot.pk).update(suspended=True, suspension_reason="招标文件异议待答复")
    objection = act(publicity.do_object, bidder, lot.pk, content="异议")
    act(publicity.do_answer, town.tenderer, objection.pk, objection.row_version, answer="答复")
    lot.refresh_from_db()
    assert lot.suspended and lot.suspension_reason == "招标文件异议待答复"


def test_overdue_complaints_for_the_regulator(setup, town, travel):  # noqa: F811
    lot, _, bidder = setup
    c = act(complaints.do_file, bidder, lot.pk, data())
    today = travel(10)
    assert list(complaints.complaints_for(town.reviewer_zj).filter(complaints.overdue_filter(today))) == [c]
    act(complaints.do_accept, town.reviewer_zj, c.pk, c.row_version)
    assert not complaints.complaints_for(town.reviewer_zj).filter(complaints.overdue_filter(clock.today())).exists()


def test_an_objection_raised_on_the_platform_counts_first_and_the_regulator_is_told(setup, town):
    from django.utils import timezone

    from yingshang.kernel.models import Message
    from yingshang.trading.models import DocumentObjection

    lot, _, bidder = setup
    bid = lot.bids.get(bidder_uscc=bidder.uscc)
    DocumentObjection.objects.create(lot=lot, raised_by=bidder, uscc=bid.bidder_uscc, organization_name=bid.bidder_name,
                                     text="资格条件异议", raised_at=timezone.now() - timedelta(days=30),
                                     answer_due=clock.today())
    c = act(complaints.do_file, bidder, lot.pk, data(matter="documents"))  # no declared date needed
    assert c.prior_objection_on == timezone.localtime(timezone.now() - timedelta(days=30)).date()
    assert Message.objects.filter(recipient__department=lot.project.regulator, object_id=str(c.pk)).exists()
