"""Clarifications (the 15-day minimum moves the deadline, audited, announced, sent to every downloader)
and objections (REG Art. 22: 10 days before the deadline, suspension, 3-day answer, overdue list)."""

from datetime import date, datetime

import pytest
from django.db import transaction
from django.utils import timezone

from tests.trading.factories_announcements import DEADLINE, BidderFactory, announced_lot, pdf
from yingshang.kernel import clock
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput
from yingshang.kernel.models import AuditEntry, Message
from yingshang.trading import rules
from yingshang.trading import rules_announcements as ra
from yingshang.trading.models import Announcement, Clarification, DocumentObjection, Lot, TenderDocument
from yingshang.trading.services import clarifications, downloads

pytestmark = pytest.mark.django_db


def pin(monkeypatch, day: date, hour: int = 10):
    monkeypatch.setattr(clock, "today", lambda: day)
    monkeypatch.setattr(clock, "now", lambda: timezone.make_aware(datetime(day.year, day.month, day.day, hour)))


def downloaded(lot, n=1):
    bidders = [BidderFactory() for _ in range(n)]
    document = TenderDocument.objects.get(lot=lot, current=True)
    for bidder in bidders:
        with transaction.atomic():
            downloads.do_download(bidder, document.pk)
    return bidders


def clarify(user, lot, **kw):
    lot.refresh_from_db()
    with transaction.atomic():
        return clarifications.do_clarify(user, lot.pk, lot.row_version, **{"text": "第三章工期改为300日历天", **kw})


def test_a_clarification_in_time_keeps_the_deadline_and_reaches_every_downloader(town):
    lot = announced_lot(town.tenderer)
    bidders = downloaded(lot, 2)
    c = clarify(town.tenderer, lot)
    assert not c.moved and c.deadline_after == DEADLINE
    assert c.announcement.kind == ra.CLARIFICATION
    told = set(Message.objects.filter(channel="site", object_id=str(c.pk)).values_list("recipient_id", flat=True))
    assert told == {b.pk for b in bidders}


def test_a_late_material_clarification_moves_the_deadline_fifteen_days_after_issue(town, monkeypatch):
    lot = announced_lot(town.tenderer)
    downloaded(lot)
    pin(monkeypatch, date(2026, 5, 1))  # 11 days before 05-12
    c = clarify(town.tenderer, lot, upload=pdf("招标文件.pdf", b"%PDF-1.4 v2"))
    assert c.moved and c.deadline_after == timezone.make_aware(datetime(2026, 5, 16, 9, 30))
    lot.refresh_from_db()
    assert lot.bid_deadline == c.deadline_after and lot.next_check == c.deadline_after
    assert c.document.version == 2 and not TenderDocument.objects.get(lot=lot, version=1).current
    entry = AuditEntry.objects.filter(action="trading.lot.clarify").get()
    assert "2026-05-16" in entry.summary
    assert "顺延至 2026-05-16 09:30" in c.announcement.body
    assert "顺延至 2026-05-16 09:30" in Message.objects.filter(object_id=str(c.pk)).first().body


def test_a_clarification_not_affecting_preparation_keeps_a_near_deadline(town, monkeypatch):
    lot = announced_lot(town.tenderer)
    pin(monkeypatch, date(2026, 5, 10))
    assert not clarify(town.tenderer, lot, affects_preparation=False).moved


def test_clarifications_are_refused_after_the_deadline_and_to_others(town, monkeypatch):
    lot = announced_lot(town.tenderer)
    with pytest.raises(Forbidden):
        clarify(town.other_tenderer, lot)
    with pytest.raises(InvalidInput) as err:
        clarify(town.tenderer, lot, text=" ")
    assert err.value.code == "trading.text_required"
    pin(monkeypatch, date(2026, 5, 12), hour=9)
    monkeypatch.setattr(clock, "now", lambda: DEADLINE)
    with pytest.raises(Conflict) as err:
        clarify(town.tenderer, lot)
    assert err.value.code == "trading.after_deadline"
    assert not Clarification.objects.exists()


def object_to(user, lot, text="第二章资格条件排斥潜在投标人"):
    with transaction.atomic():
        return clarifications.do_file_objection(user, lot.pk, text=text)


def test_an_objection_suspends_the_lot_with_a_three_day_answer_due(town):
    lot = announced_lot(town.tenderer)
    (bidder,) = downloaded(lot)
    o = object_to(bidder, lot)
    assert o.answer_due == date(2026, 4, 23) and o.status == DocumentObjection.PENDING
    lot.refresh_from_db()
    assert lot.suspended and "第二十二条" in lot.suspension_reason
    assert lot.next_check == timezone.make_aware(datetime(2026, 4, 24))  # the day after the answer is due
    assert AuditEntry.objects.filter(action__in=["trading.objection.file", "trading.lot.suspend"]).count() == 2
    assert Message.objects.filter(recipient=town.tenderer, object_id=str(o.pk)).exists()


def test_who_may_object_and_until_when(town, monkeypatch):
    lot = announced_lot(town.tenderer)
    (bidder,) = downloaded(lot)
    with pytest.raises(Forbidden) as err:
        object_to(BidderFactory(), lot)
    assert err.value.code == "trading.not_a_downloader"
    with pytest.raises(Forbidden):
        object_to(town.tenderer, lot)
    pin(monkeypatch, date(2026, 5, 3))  # 05-12 − 10 days = 05-02 is the last day
    with pytest.raises(Conflict) as err:
        object_to(bidder, lot)
    assert err.value.code == "trading.objection_too_late" and "05-02" in err.value.message
    assert not Lot.objects.get(pk=lot.pk).suspended


def answer(user, o, **kw):
    o.refresh_from_db()
    with transaction.atomic():
        return clarifications.do_answer_objection(user, o.pk, o.row_version, **{"answer": "资格条件符合规定", **kw})


def test_the_answer_lifts_the_suspension_only_when_no_other_objection_is_pending(town):
    lot = announced_lot(town.tenderer)
    first, second = downloaded(lot, 2)
    a, b = object_to(first, lot), object_to(second, lot)
    answer(town.tenderer, a)
    lot.refresh_from_db()
    assert lot.suspended and "1件" in lot.suspension_reason
    answer(town.tenderer, b, publish=True)
    lot.refresh_from_db()
    assert not lot.suspended and lot.suspension_reason == ""
    public = Announcement.objects.get(kind=ra.OBJECTION_ANSWER)
    assert second.organization_name not in public.body and "资格条件符合规定" in public.body
    with pytest.raises(Conflict) as err:
        answer(town.tenderer, b)
    assert err.value.code == "trading.transition_not_allowed"
    with pytest.raises(Forbidden):
        answer(town.other_tenderer, a)


def test_an_answer_that_changes_the_documents_goes_out_as_a_clarification(town, monkeypatch):
    lot = announced_lot(town.tenderer)
    (bidder,) = downloaded(lot)
    o = object_to(bidder, lot)
    pin(monkeypatch, date(2026, 4, 30))
    answered = answer(town.tenderer, o, changes_documents=True, clarification_text="删除第二章第3条")
    assert answered.clarification.moved and answered.clarification.deadline_after.date() == date(2026, 5, 15)
    lot.refresh_from_db()
    assert lot.bid_deadline.date() == date(2026, 5, 15) and not lot.suspended


def test_the_centre_sees_overdue_objections(town, monkeypatch):
    lot = announced_lot(town.tenderer)
    (bidder,) = downloaded(lot)
    o = object_to(bidder, lot)
    assert list(clarifications.pending_objections(town.staff, overdue_only=True)) == []
    pin(monkeypatch, date(2026, 4, 24))
    assert list(clarifications.pending_objections(town.staff, overdue_only=True)) == [o]
    with pytest.raises(Forbidden):
        clarifications.pending_objections(town.tenderer)
    late = answer(town.tenderer, o)
    assert '"late":true' in AuditEntry.objects.filter(action="trading.documentobjection.answer").get().summary
    assert late.status == DocumentObjection.ANSWERED and Lot.objects.get(pk=lot.pk).status == rules.ANNOUNCED
