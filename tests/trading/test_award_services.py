"""The award services (§8): publicity, objections, the award by each method, the credit check, notices,
contract, certificate and archive — happy paths, every refusal, audit entries and who may not."""

from datetime import datetime, time, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from tests.trading.factories_award import BidderFactory, evaluated_lot, members, pdf_upload, publish
from yingshang.kernel import clock
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput
from yingshang.kernel.models import AuditEntry, IssuedDocument, Message
from yingshang.trading import hooks, rules_award
from yingshang.trading.models import Archive, AwardDecision, Contract, Lot, Publicity
from yingshang.trading.services import archive, award, contracts, publicity

pytestmark = pytest.mark.django_db


@pytest.fixture
def travel(monkeypatch):
    def go(days: int):
        day = clock.today() + timedelta(days=days)
        moment = timezone.make_aware(datetime.combine(day, time(10, 0)))
        monkeypatch.setattr(clock, "today", lambda: day)
        monkeypatch.setattr(clock, "now", lambda: moment)
        return day
    return go


def act(call, *args, **kwargs):
    with transaction.atomic():
        return call(*args, **kwargs)


def actions(name):
    return list(AuditEntry.objects.filter(action=name).values_list("object_id", flat=True))


def test_publicity_moves_the_lot_and_is_audited(town):
    lot, cands, _ = evaluated_lot(town)
    shown = publish(town, lot)
    lot.refresh_from_db()
    assert lot.status == "publicity" and shown.ends_on == shown.starts_on + timedelta(days=3)
    assert actions("trading.lot.publicize") == [str(lot.pk)]


@pytest.mark.parametrize(("ends_in", "report_days_ago", "code"), [
    (2, 0, "trading.publicity_too_short"), (3, 4, "trading.publicity_late")])
def test_publicity_refuses_the_rules(town, ends_in, report_days_ago, code):
    lot, _, _ = evaluated_lot(town, report_days_ago=report_days_ago)
    with pytest.raises(InvalidInput) as err:
        publish(town, lot, ends_in=ends_in)
    assert err.value.code == code and "第五十四条" in err.value.details["source"]


def test_publicity_only_by_the_lots_own_tenderer_or_agency(town):
    lot, _, _ = evaluated_lot(town)
    with pytest.raises(Forbidden) as err:
        act(publicity.do_publish, town.other_tenderer, lot.pk, None, ends_on=clock.today() + timedelta(days=3),
            award_method="price")
    assert err.value.code == "trading.not_your_project"
    with pytest.raises(Forbidden):
        act(publicity.do_publish, town.staff, lot.pk, None, ends_on=clock.today(), award_method="price")


def test_an_objection_suspends_the_award_until_answered(town, travel):
    lot, cands, others = evaluated_lot(town)
    publish(town, lot)
    objection = act(publicity.do_object, others[0].bidder, lot.pk, content="第一候选人业绩造假")
    lot.refresh_from_db()
    assert lot.suspended and objection.answer_due == clock.today() + timedelta(days=3)
    travel(4)
    with pytest.raises(Conflict) as err:
        act(award.do_award, town.tenderer, lot.pk, None, members=members(), reasons="价格最低")
    assert err.value.code == "trading.objection_pending"
    act(publicity.do_answer, town.agency, objection.pk, objection.row_version, answer="经核查业绩属实")
    lot.refresh_from_db()
    assert not lot.suspended and actions("trading.lot.resume") == [str(lot.pk)]
    assert actions("trading.resultobjection.answer") == [str(objection.pk)]


def test_objections_only_by_bidders_during_publicity(town, travel):
    lot, _, others = evaluated_lot(town)
    with pytest.raises(Conflict) as err:
        act(publicity.do_object, others[0].bidder, lot.pk, content="x")
    assert err.value.code == "trading.not_in_publicity"
    publish(town, lot)
    with pytest.raises(Forbidden) as err:
        act(publicity.do_object, BidderFactory(), lot.pk, content="x")
    assert err.value.code == "trading.not_a_bidder"
    travel(4)
    with pytest.raises(Conflict) as err:
        act(publicity.do_object, others[0].bidder, lot.pk, content="x")
    assert err.value.code == "trading.objection_outside_publicity"


def test_award_by_price_issues_the_notice_and_tells_everyone(town, travel, django_capture_on_commit_callbacks):
    lot, cands, others = evaluated_lot(town)
    publish(town, lot)
    with pytest.raises(Conflict) as err:
        act(award.do_award, town.tenderer, lot.pk, None, members=members(), reasons="价格最低")
    assert err.value.code == "trading.publicity_not_ended"
    travel(4)
    with django_capture_on_commit_callbacks(execute=True):
        decision = act(award.do_award, town.tenderer, lot.pk, None, members=members(), reasons="价格最低")
    lot.refresh_from_db()
    assert lot.status == "awarded" and decision.winner == cands[1] and str(decision.price) == "4400000.00"
    assert decision.contract_due == decision.notice_on + timedelta(days=30)
    assert decision.notice.kind == "trading_award_notice" and len(decision.notice.sha256) == 64
    assert decision.members.count() == 5
    winner_msgs = Message.objects.filter(recipient=cands[1].bid.bidder)
    assert winner_msgs.get().subject.startswith("中标通知")
    assert Message.objects.filter(recipient=others[0].bidder).get().subject.startswith("中标结果通知")
    entry = AuditEntry.objects.get(action="trading.lot.award", object_id=str(lot.pk))
    assert '"winner"' in entry.summary and "价格最低" in entry.summary


def test_award_is_the_tenderers_own_within_twenty_days(town, travel):
    lot, _, _ = evaluated_lot(town)
    publish(town, lot)
    travel(4)
    with pytest.raises(Forbidden) as err:
        act(award.do_award, town.agency, lot.pk, None, members=members(), reasons="x")
    assert err.value.code == "trading.award_tenderer_only"
    travel(17)  # day 21 after the report
    with pytest.raises(Conflict) as err:
        act(award.do_award, town.tenderer, lot.pk, None, members=members(), reasons="x")
    assert err.value.code == "trading.award_late" and "seed 004" not in err.value.message


def test_award_by_vote_needs_a_majority(town, travel):
    lot, cands, _ = evaluated_lot(town)
    publish(town, lot, method="vote")
    travel(4)
    a, b, c = (x.pk for x in cands)
    with pytest.raises(Conflict) as err:
        act(award.do_award, town.tenderer, lot.pk, None, members=members(5, [a, a, b, b, c]), reasons="票决")
    assert err.value.code == "trading.vote_no_majority"
    with pytest.raises(InvalidInput) as err:
        act(award.do_award, town.tenderer, lot.pk, None, members=members(3, [a, a, 999]), reasons="票决")
    assert err.value.code == "trading.vote_invalid"
    decision = act(award.do_award, town.tenderer, lot.pk, None, members=members(5, [a, a, b, a, c]), reasons="票决")
    assert decision.winner_id == a and [m.vote_id for m in decision.members.all()] == [a, a, b, a, c]


def test_award_by_draw_commits_before_and_reveals_after(town, travel):
    lot, cands, _ = evaluated_lot(town)
    publish(town, lot, method="draw")
    travel(4)
    with pytest.raises(Conflict) as err:
        act(award.do_award, town.tenderer, lot.pk, None, members=members(), reasons="抽签")
    assert err.value.code == "trading.draw_not_committed"
    committed = act(award.do_commit_draw, town.tenderer, lot.pk)
    with pytest.raises(Conflict) as err:
        act(award.do_commit_draw, town.tenderer, lot.pk)
    assert err.value.code == "trading.draw_committed"
    decision = act(award.do_award, town.tenderer, lot.pk, None, members=members(), reasons="抽签")
    committed.refresh_from_db()
    assert committed.revealed_at and rules_award.draw_winner(committed.seed, committed.pool, lot.pk) == decision.winner_id
    assert rules_award.draw.verify(committed.seed, committed.commitment)


def test_award_by_deliberation_names_the_winner(town, travel):
    lot, cands, _ = evaluated_lot(town)
    publish(town, lot, method="deliberation")
    travel(4)
    with pytest.raises(InvalidInput) as err:
        act(award.do_award, town.tenderer, lot.pk, None, members=members(), reasons="x", winner_id=None)
    assert err.value.code == "trading.winner_invalid"
    with pytest.raises(InvalidInput) as err:
        act(award.do_award, town.tenderer, lot.pk, None, members=members(2), reasons="x", winner_id=cands[2].pk)
    assert err.value.code == "trading.award_committee_too_small"
    decision = act(award.do_award, town.tenderer, lot.pk, None, members=members(), reasons="综合实力最强",
                   winner_id=cands[2].pk)
    assert decision.winner == cands[2] and decision.method == "deliberation"


def test_a_candidate_barred_by_credit_is_refused(town, travel, monkeypatch):
    lot, cands, _ = evaluated_lot(town)
    publish(town, lot)
    travel(4)
    seen = []

    def barred(uscc, **kwargs):
        seen.append((uscc, kwargs["stage"]))
        raise Forbidden("trading.credit_barred", "中标候选人被列入失信联合惩戒对象名单")

    monkeypatch.setattr(award.credit_gate, "check", barred)
    with pytest.raises(Forbidden) as err:
        act(award.do_award, town.tenderer, lot.pk, None, members=members(), reasons="价格最低")
    assert err.value.code == "trading.credit_barred" and seen == [(cands[1].bid.bidder_uscc, "award")]
    assert Lot.objects.get(pk=lot.pk).status == "publicity" and not AwardDecision.objects.exists()


def awarded(town, travel):
    lot, cands, others = evaluated_lot(town)
    publish(town, lot)
    travel(4)
    act(award.do_award, town.tenderer, lot.pk, None, members=members(), reasons="价格最低")
    lot.refresh_from_db()
    return lot, cands, others


def test_contract_signed_fires_the_hook_and_refuses_late_or_bad_files(town, travel):
    lot, _, _ = awarded(town, travel)
    fired = []
    handler = hooks.CONTRACT_SIGNED.register(lambda lot, signed_on: fired.append((lot.pk, signed_on)))
    try:
        with pytest.raises(InvalidInput) as err:
            act(contracts.do_sign, town.tenderer, lot.pk, lot.row_version, signed_on=clock.today(),
                upload=pdf_upload("x.exe").__class__("x.exe", b"MZ\x90\x00", content_type="application/pdf"))
        assert err.value.code == "upload.bad_type"
        today = travel(31)
        with pytest.raises(InvalidInput) as err:
            act(contracts.do_sign, town.tenderer, lot.pk, lot.row_version, signed_on=today, upload=pdf_upload())
        assert err.value.code == "trading.contract_late" and "第四十六条" in err.value.details["source"]
        assert [d.lot_id for d in contracts.overdue(town.staff, only_overdue=True)] == [lot.pk]
        signed = today - timedelta(days=2)
        contract = act(contracts.do_sign, town.tenderer, lot.pk, lot.row_version, signed_on=signed, upload=pdf_upload())
    finally:
        hooks.CONTRACT_SIGNED.unregister(handler)
    assert fired == [(lot.pk, signed)] and len(contract.file.sha256) == 64
    assert Lot.objects.get(pk=lot.pk).status == "contracted"
    with pytest.raises(Forbidden):
        contracts.overdue(town.tenderer)


def test_certificate_once_by_the_centre(town, travel):
    lot, _, _ = awarded(town, travel)
    with pytest.raises(Forbidden):
        act(contracts.do_issue_certificate, town.tenderer, lot.pk)
    certificate = act(contracts.do_issue_certificate, town.staff, lot.pk)
    assert certificate.document.kind == "trading_certificate" and certificate.document.object_id == str(lot.pk)
    with pytest.raises(Conflict) as err:
        act(contracts.do_issue_certificate, town.staff, lot.pk)
    assert err.value.code == "trading.certificate_exists"


def test_archive_writes_the_manifest_hash_in_the_audit_chain_and_freezes_the_file(town, travel,
                                                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        lot, _, _ = awarded(town, travel)
        act(contracts.do_issue_certificate, town.staff, lot.pk)
    with pytest.raises(Conflict) as err:
        act(archive.do_archive, town.staff, lot.pk, None)
    assert err.value.code == "trading.transition_not_allowed"
    act(contracts.do_sign, town.tenderer, lot.pk, None, signed_on=clock.today(), upload=pdf_upload())
    extra = hooks.ARCHIVE_DOCUMENTS.register(lambda lot: [("开标记录", "f" * 64, None)])
    try:
        done = act(archive.do_archive, town.staff, lot.pk, None)
    finally:
        hooks.ARCHIVE_DOCUMENTS.unregister(extra)
    titles = [d["title"] for d in done.manifest["documents"]]
    assert titles[:2] == ["中标通知书", "交易凭证"] and titles[2].startswith("合同") and titles[3] == "开标记录"
    assert done.manifest_sha256 == archive.manifest_hash(done.manifest)
    entry = AuditEntry.objects.get(seq=done.audit_seq)
    assert entry.action == "trading.lot.archive" and done.manifest_sha256 in entry.summary
    # Immutable afterwards: the rows refuse any change, the lot refuses any action.
    for row in (Publicity.objects.get(lot=lot), AwardDecision.objects.get(lot=lot), Contract.objects.get(lot=lot)):
        with pytest.raises(Conflict) as err:
            row.save()
        assert err.value.code == "trading.archived"
    with pytest.raises(Conflict) as err:
        Archive.objects.get(lot=lot).save()
    assert err.value.code == "trading.archived"
    with pytest.raises(Conflict):
        act(archive.do_archive, town.staff, lot.pk, None)
    import hashlib
    import io
    import zipfile

    from yingshang.kernel.services.audit import verify

    zipped = zipfile.ZipFile(io.BytesIO(archive.zip_bytes(archive.archive_of(town.reviewer_zj, lot.pk))))
    names = zipped.namelist()
    assert names[0] == "manifest.json" and len([n for n in names if n.endswith(".pdf")]) == 3 and "missing.txt" in names
    listed = {d["sha256"] for d in done.manifest["documents"]}
    assert all(hashlib.sha256(zipped.read(n)).hexdigest() in listed for n in names if n.endswith(".pdf"))
    assert verify().ok
    assert IssuedDocument.objects.filter(kind="trading_award_notice").count() == 1


def test_archive_is_refused_while_a_complaint_is_open_and_hidden_outside_the_scope(town, travel):
    from yingshang.trading.models import Complaint

    lot, _, others = awarded(town, travel)
    act(contracts.do_sign, town.tenderer, lot.pk, None, signed_on=clock.today(), upload=pdf_upload())
    Complaint.objects.create(lot=lot, regulator=town.zj, filed_by=others[0].bidder, complainant_uscc="x",
                             complainant_name="x", matter="other", facts="x", grounds="x", request="x",
                             known_on=clock.today(), received_on=clock.today(), accept_by=clock.today(),
                             created_at=clock.now())
    with pytest.raises(Conflict) as err:
        act(archive.do_archive, town.staff, lot.pk, None)
    assert err.value.code == "trading.complaint_open"
    with pytest.raises(Exception) as err:
        archive.archive_of(town.reviewer_jt, lot.pk)
    assert err.value.code == "trading.archive_not_found"


def test_a_failed_lot_is_archived_with_the_other_parts_documents(town):
    from tests.factories import LotFactory

    lot = LotFactory(status="failed", project__regulator=town.zj)
    extra = hooks.ARCHIVE_DOCUMENTS.register(lambda lot: [("流标公告", "a" * 64, None)])
    try:
        done = act(archive.do_archive, town.staff, lot.pk, 1)
    finally:
        hooks.ARCHIVE_DOCUMENTS.unregister(extra)
    assert done.manifest["final_status"] == "failed" and done.manifest["documents"][0]["title"] == "流标公告"
    assert Lot.objects.get(pk=lot.pk).status == "archived"
    with pytest.raises(Forbidden):
        act(archive.do_archive, town.tenderer, lot.pk, None)


def test_the_candidates_and_the_result_are_published_as_announcements(town, travel, client):
    from yingshang.trading.models import Announcement

    lot, cands, _ = evaluated_lot(town)
    publish(town, lot, method="price")
    notice = Announcement.objects.get(lot=lot, kind="candidates")
    assert "不分先后" in notice.body and cands[0].bid.bidder_name in notice.body and notice.ends_at is not None
    travel(4)
    decision = act(award.do_award, town.tenderer, lot.pk, None, members=members(), reasons="价格最低")
    result = Announcement.objects.get(lot=lot, kind="result")
    assert decision.winner_name in result.body and "中标价" in result.body
    listed = client.get("/api/v1/trading/announcements?kind=result").json()
    assert [a["title"] for a in listed["items"]] == [result.title]
