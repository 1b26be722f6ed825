"""Announcing a lot (documents, periods checked again, the announcement, next_check) and the public
list (filters, keyset pages, nothing before its publication time)."""

from datetime import date, datetime, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from tests.factories import LotFactory, TenderProjectFactory
from tests.trading.factories_announcements import announced_lot, on_sale_lot, pdf
from yingshang.kernel import clock
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput
from yingshang.kernel.models import AuditEntry, StoredFile
from yingshang.trading import rules
from yingshang.trading import rules_announcements as ra
from yingshang.trading.models import Announcement, Lot, TenderDocument
from yingshang.trading.services import announcements

pytestmark = pytest.mark.django_db


def announce(user, lot, **kw):
    args = {"title": "招标公告", "body": "招标范围：施工。", "files": [pdf()], **kw}
    with transaction.atomic():
        return announcements.do_announce(user, lot.pk, lot.row_version, **args)


def test_announcing_publishes_the_notice_stores_the_documents_and_moves_the_lot(town):
    lot = on_sale_lot(town.tenderer)
    announce(town.tenderer, lot)
    lot.refresh_from_db()
    assert lot.status == rules.ANNOUNCED and lot.row_version == 2
    assert lot.next_check == timezone.make_aware(datetime(2026, 4, 28))  # the day after the sale ends
    doc = TenderDocument.objects.get(lot=lot)
    assert doc.version == 1 and doc.current and doc.sha256 == StoredFile.objects.get(pk=doc.file_id).sha256
    notice = Announcement.objects.get(lot=lot)
    assert notice.kind == ra.TENDER and notice.ends_at == lot.bid_deadline and notice.lot_type == "works"
    assert notice.procedure_code == "open_tender" and notice.division_code == lot.project.division_code
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"trading.lot.announce", "trading.announcement.publish", "trading.document.upload"} <= actions


def test_a_prequalification_lot_opens_with_the_prequalification_notice(town):
    lot = on_sale_lot(town.tenderer, qualification=rules.PREQUALIFICATION)
    announce(town.tenderer, lot)
    assert Announcement.objects.get(lot=lot).kind == ra.PREQUALIFICATION


def test_an_aged_plan_is_checked_from_today_and_refused_with_the_article(town):
    lot = on_sale_lot(town.tenderer)
    Lot.objects.filter(pk=lot.pk).update(sale_start=date(2026, 4, 1), sale_end=date(2026, 4, 27),
                                         bid_deadline=timezone.make_aware(datetime(2026, 5, 8, 9, 30)))
    with pytest.raises(InvalidInput) as err:
        announce(town.tenderer, lot)
    assert err.value.code == "trading.deadline_too_soon" and "第二十四条" in err.value.details["source"]
    announce(town.tenderer, lot, bid_deadline="2026-05-11T09:30")  # re-planned: 21 days from today
    lot.refresh_from_db()
    assert lot.sale_start == date(2026, 4, 20) and lot.bid_deadline.day == 11


@pytest.mark.parametrize(("kw", "code"), [
    ({"files": []}, "trading.documents_required"),
    ({"files": [pdf("x.pdf", b"MZ\x90\x00 not a pdf")]}, "upload.bad_type"),
    ({"sale_end": "2026-04-23"}, "trading.sale_too_short"),
    ({"body": "联系人身份证 11010519491231002X"}, "trading.body_personal_id"),
    ({"title": ""}, "trading.title_required"),
])
def test_bad_announcements_are_refused_with_a_code(town, kw, code):
    lot = on_sale_lot(town.tenderer)
    with pytest.raises(InvalidInput) as err:
        announce(town.tenderer, lot, **kw)
    assert err.value.code == code
    assert Lot.objects.get(pk=lot.pk).status == rules.ACCEPTED and not Announcement.objects.exists()


def test_only_the_own_tenderer_announces_an_accepted_lot_at_the_version_it_saw(town):
    lot = on_sale_lot(town.tenderer)
    with pytest.raises(Forbidden) as err:
        announce(town.other_tenderer, lot)
    assert err.value.code == "trading.not_your_project"
    with pytest.raises(Forbidden):
        announce(town.staff, lot)
    registered = LotFactory(registered=True, project=TenderProjectFactory(tenderer_uscc=town.tenderer.uscc))
    with pytest.raises(Conflict) as err:
        announce(town.tenderer, registered)
    assert err.value.code == "trading.transition_not_allowed"
    lot.row_version = 7
    with pytest.raises(Conflict) as err:
        announce(town.tenderer, lot)
    assert err.value.code == "trading.conflict"


def test_the_agency_announces_for_the_tenderer(town):
    lot = on_sale_lot(town.tenderer)
    type(lot.project).objects.filter(pk=lot.project_id).update(agency_uscc=town.agency.uscc)
    lot.refresh_from_db()
    announce(town.agency, lot)
    assert Lot.objects.get(pk=lot.pk).status == rules.ANNOUNCED


def test_other_parts_publish_candidates_through_the_same_service(town):
    lot = announced_lot(town.tenderer)
    with transaction.atomic():
        a = announcements.do_publish_announcement(lot, ra.CANDIDATES, "中标候选人公示", "第一中标候选人：某公司",
                                                  published_at=clock.now(), ends_at=clock.now() + timedelta(days=3),
                                                  actor=town.tenderer)
    assert a.kind_label == "中标候选人公示"
    with pytest.raises(InvalidInput) as err:
        announcements.do_publish_announcement(lot, "rumour", "x", "y", published_at=clock.now())
    assert err.value.code == "trading.kind_invalid"
    with pytest.raises(InvalidInput) as err:
        announcements.do_publish_announcement(lot, ra.RESULT, "x", "y", published_at=clock.now(),
                                              ends_at=clock.now())
    assert err.value.code == "trading.ends_at_invalid"


def _publish(lot, n, *, kind=ra.TENDER, start=None):
    start = start or clock.now() - timedelta(days=1)
    with transaction.atomic():
        return [announcements.do_publish_announcement(lot, kind, f"公告{i}号 道路工程", "正文", published_at=start)
                for i in range(n)]  # the same instant: ties are settled by id


def test_the_public_list_pages_by_keyset_without_gaps_or_repeats(town):
    lot = announced_lot(town.tenderer)
    _publish(lot, 45)
    seen, cursor = [], ""
    while True:
        page = announcements.public_list(cursor=cursor, limit=20)
        seen += [a.pk for a in page.items]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert len(seen) == len(set(seen)) == 46 and seen == sorted(seen, key=lambda pk: (
        Announcement.objects.get(pk=pk).published_at, pk), reverse=True)


def test_the_public_list_filters_and_hides_what_is_not_yet_published(town):
    lot = announced_lot(town.tenderer)
    goods = announced_lot(town.tenderer, lot_type="goods")
    _publish(lot, 1, kind=ra.TERMINATION)
    _publish(lot, 1, start=clock.now() + timedelta(hours=1))  # scheduled
    assert len(announcements.public_list().items) == 3
    assert [a.kind for a in announcements.public_list(kind=ra.TERMINATION).items] == [ra.TERMINATION]
    assert [a.lot_id for a in announcements.public_list(lot_type="goods").items] == [goods.pk]
    assert len(announcements.public_list(procedure="open_tender", district=lot.project.division_code).items) == 3
    assert len(announcements.public_list(keyword="道路").items) == 1
    assert announcements.public_list(district="610881").items == []
    with pytest.raises(InvalidInput) as err:
        announcements.public_list(kind="x")
    assert err.value.code == "trading.kind_invalid"
    with pytest.raises(InvalidInput) as err:
        announcements.public_list(cursor="!!")
    assert err.value.code == "trading.cursor_invalid"


@pytest.mark.parametrize("window", [2000, 5])
def test_keyword_pages_are_the_same_from_the_window_or_the_index(town, monkeypatch, window):
    monkeypatch.setattr(announcements, "KEYWORD_WINDOW", window)
    lot = announced_lot(town.tenderer)
    _publish(lot, 25)  # titles "公告N号 道路工程"
    with transaction.atomic():
        announcements.do_publish_announcement(lot, ra.TERMINATION, "终止公告", "正文", published_at=clock.now())
    first = announcements.public_list(keyword="道路", limit=20)
    rest = announcements.public_list(keyword="道路", limit=20, cursor=first.next_cursor)
    ids = [a.pk for a in first.items + rest.items]
    expected = list(Announcement.objects.filter(title__contains="道路").order_by("-published_at", "-id")
                    .values_list("pk", flat=True))
    assert ids == expected and len(ids) == 25 and rest.next_cursor is None
