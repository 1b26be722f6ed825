"""The award and complaint pages: each role's page renders (200) with its forms, actions post through
the services with errors shown, uploads work, scoping hides others' lots, public pages need no sign-in."""

import pytest
from django.urls import reverse

from tests.helpers import assert_max_queries
from tests.trading.factories_award import evaluated_lot, pdf_upload, publish
from tests.trading.test_award_services import travel  # noqa: F401  (fixture)
from yingshang.kernel import clock
from yingshang.trading.models import Complaint, Lot

pytestmark = pytest.mark.django_db


def test_the_tenderer_publishes_decides_and_uploads_the_contract(client, town, travel):  # noqa: F811
    lot, cands, _ = evaluated_lot(town)
    client.force_login(town.tenderer)
    page = client.get(reverse("trading:award", args=[lot.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "公示中标候选人" in html and "csrfmiddlewaretoken" in html
    bad = client.post(reverse("trading:award-act", args=[lot.pk, "publish"]),
                      {"row_version": 1, "ends_on": str(clock.today()), "award_method": "price"}, follow=True)
    assert "公示期不得少于3日" in bad.content.decode()
    client.post(reverse("trading:award-act", args=[lot.pk, "publish"]),
                {"row_version": 1, "ends_on": "2026-04-23", "award_method": "vote"})
    assert Lot.objects.get(pk=lot.pk).status == "publicity"
    travel(4)
    page = client.get(reverse("trading:award", args=[lot.pk])).content.decode()
    assert "定标委员会成员" in page and "投票给" in page
    votes = {f"member{i}-name": f"委员{i}" for i in range(5)} | {f"member{i}-vote": cands[0].pk for i in range(5)}
    done = client.post(reverse("trading:award-act", args=[lot.pk, "award"]),
                       {"row_version": 2, "reasons": "票决", **votes}, follow=True)
    assert "已定标" in done.content.decode() and Lot.objects.get(pk=lot.pk).status == "awarded"
    upload = client.post(reverse("trading:award-contract", args=[lot.pk]),
                         {"row_version": 3, "signed_on": str(clock.today()), "file": pdf_upload()}, follow=True)
    assert "合同已上传" in upload.content.decode() and Lot.objects.get(pk=lot.pk).status == "contracted"


def test_the_centre_certifies_archives_and_downloads(client, town, travel):  # noqa: F811
    lot, _, _ = evaluated_lot(town)
    publish(town, lot)
    travel(4)
    from django.db import transaction

    from tests.trading.factories_award import members
    from yingshang.trading.services import award, contracts

    with transaction.atomic():
        award.do_award(town.tenderer, lot.pk, None, members=members(), reasons="价格最低")
        contracts.do_sign(town.tenderer, lot.pk, None, signed_on=clock.today(), upload=pdf_upload())
    client.force_login(town.staff)
    assert "待签合同" in client.get(reverse("trading:contracts-due")).content.decode()
    page = client.get(reverse("trading:award", args=[lot.pk])).content.decode()
    assert "出具交易凭证" in page and "归档" in page
    client.post(reverse("trading:award-act", args=[lot.pk, "certificate"]))
    client.post(reverse("trading:award-act", args=[lot.pk, "archive"]), {"row_version": Lot.objects.get(pk=lot.pk).row_version})
    assert Lot.objects.get(pk=lot.pk).status == "archived"
    page = client.get(reverse("trading:award", args=[lot.pk])).content.decode()
    assert "清单摘要" in page and "下载档案" in page
    zipped = client.get(reverse("trading:award-archive", args=[lot.pk]))
    assert zipped.status_code == 200 and zipped["Content-Type"] == "application/zip"
    client.force_login(town.reviewer_jt)
    assert client.get(reverse("trading:award-archive", args=[lot.pk])).status_code == 404
    client.force_login(town.tenderer)
    assert client.get(reverse("trading:contracts-due")).status_code == 403


def test_the_bidder_objects_and_complains_with_evidence(client, town):
    lot, _, others = evaluated_lot(town)
    publish(town, lot)
    bidder = others[0].bidder
    client.force_login(bidder)
    results = client.get(reverse("trading:my-results")).content.decode()
    assert "公示中，可提出异议" in results
    page = client.get(reverse("trading:award", args=[lot.pk])).content.decode()
    assert "提交异议" in page and "提出投诉" in page and "公示中标候选人" not in page
    client.post(reverse("trading:award-act", args=[lot.pk, "object"]), {"content": "报价低于成本"})
    assert Lot.objects.get(pk=lot.pk).suspended
    form = client.get(reverse("trading:complaint-new", args=[lot.pk]))
    assert form.status_code == 200 and "投诉请求" in form.content.decode()
    late = client.post(reverse("trading:complaint-new", args=[lot.pk]), {
        "matter": "other", "known_on": "2026-04-01", "facts": "x", "grounds": "x", "request": "x"})
    assert late.status_code == 400 and "10日内" in late.content.decode()
    filed = client.post(reverse("trading:complaint-new", args=[lot.pk]), {
        "matter": "result", "known_on": str(clock.today()), "facts": "报价低于成本", "grounds": "第五十四条",
        "request": "重新评标", "evidence0-title": "成本测算", "evidence0": pdf_upload("测算.pdf")}, follow=True)
    assert "投诉已提交" in filed.content.decode()
    complaint = Complaint.objects.get()
    assert complaint.evidence.get().title == "成本测算"
    other_lot, _, _ = evaluated_lot(town)
    assert client.get(reverse("trading:award", args=[other_lot.pk])).status_code == 404


def test_the_regulator_handles_the_queue(client, town):
    lot, _, others = evaluated_lot(town)
    publish(town, lot)
    from django.db import transaction

    from yingshang.trading.services import complaints

    for _ in range(3):
        with transaction.atomic():
            c = complaints.do_file(others[0].bidder, lot.pk, {"matter": "other", "known_on": str(clock.today()),
                                                              "facts": "x", "grounds": "y", "request": "z"})
    client.force_login(town.reviewer_zj)
    with assert_max_queries(10):
        queue = client.get(reverse("trading:complaints") + "?status=filed")
    assert queue.status_code == 200 and queue.content.decode().count("受理期限") >= 1
    detail = client.get(reverse("trading:complaint", args=[c.pk])).content.decode()
    assert "不予受理" in detail and "责令暂停招标投标活动" in detail
    client.post(reverse("trading:complaint-act", args=[c.pk, "accept"]), {"row_version": 1, "suspend": "1"})
    stale = client.post(reverse("trading:complaint-act", args=[c.pk, "decide"]),
                        {"row_version": 1, "outcome": "dismissed", "decision": "x"}, follow=True)
    assert "已被他人处理" in stale.content.decode()
    client.post(reverse("trading:complaint-act", args=[c.pk, "stop"]), {"row_version": 2, "kind": "expert_review",
                                                                         "reason": "组织专家评审"})
    assert "恢复计时" in client.get(reverse("trading:complaint", args=[c.pk])).content.decode()
    client.post(reverse("trading:complaint-act", args=[c.pk, "decide"]), {
        "row_version": 3, "outcome": "dismissed", "decision": "查无实据", "malicious": "1", "malicious_reason": "虚假证据"})
    assert Complaint.objects.get(pk=c.pk).status == "decided"
    assert "虚假证据" in client.get(reverse("trading:complaints-malicious")).content.decode()
    client.force_login(town.reviewer_jt)
    assert client.get(reverse("trading:complaint", args=[c.pk])).status_code == 404
    client.force_login(town.citizen)
    assert client.get(reverse("trading:complaints")).status_code == 403


def test_public_pages_without_sign_in(client, town):
    lot, cands, _ = evaluated_lot(town)
    publish(town, lot)
    with assert_max_queries(6):
        listing = client.get(reverse("trading:public-results"))
    assert listing.status_code == 200 and cands[0].bid.bidder_name in listing.content.decode()
    detail = client.get(reverse("trading:public-result", args=[lot.pk])).content.decode()
    assert "4400000.00" in detail and cands[0].bid.bidder_uscc not in detail
    assert client.get(reverse("trading:public-complaints")).status_code == 200
    assert client.get(reverse("trading:public-result", args=[999999])).status_code == 404



def test_the_demo_has_a_lot_in_each_stage_and_live_work_for_each_role(client, town, monkeypatch):
    from datetime import datetime, time

    from django.utils import timezone

    from tests.factories import DepartmentFactory, UserFactory
    from tests.trading.conftest import TODAY
    from tests.trading.factories_award import BidderFactory
    from yingshang.kernel.demo import DemoReport
    from yingshang.kernel.services.audit import verify
    from yingshang.trading import demo_award as demo

    # The demo seeds a history with clock.as_of; the pinned test clock honours it here.
    monkeypatch.setattr(clock, "today", lambda: clock._AS_OF.get() or TODAY)
    monkeypatch.setattr(clock, "now", lambda: timezone.make_aware(datetime.combine(clock.today(), time(10, 0))))
    wj = DepartmentFactory(code="610800-WJ", name="榆林市卫生健康委员会")
    regulator = UserFactory(username="reviewer_wj", role_codes=["dept_reviewer"], department=wj)
    bidder = BidderFactory(username="bidder")
    demo.seed_trading_award(DemoReport())
    demo.seed_trading_award(DemoReport())  # idempotent
    states = sorted(Lot.objects.filter(project__approval_no__startswith="榆发改审批〔2026〕2").values_list("status", flat=True))
    assert states == ["archived", "awarded", "publicity", "publicity"]
    assert Lot.objects.filter(suspended=True).count() == 1 and Complaint.objects.get().status == "accepted"
    client.force_login(bidder)
    mine = client.get(reverse("trading:my-results")).content.decode()
    assert "中标（" in mine and "中标候选人" in mine
    client.force_login(regulator)
    assert "救护车" in client.get(reverse("trading:complaints")).content.decode()
    client.force_login(town.staff)
    assert "妇幼保健院" in client.get(reverse("trading:contracts-due")).content.decode()
    assert verify().ok


def test_the_complainant_withdraws_and_the_regulator_filters_overdue(client, town, travel):  # noqa: F811
    from django.db import transaction

    from yingshang.trading.services import complaints

    lot, _, others = evaluated_lot(town)
    publish(town, lot)
    with transaction.atomic():
        c = complaints.do_file(others[0].bidder, lot.pk, {"matter": "other", "known_on": str(clock.today()),
                                                          "facts": "x", "grounds": "y", "request": "z"})
    travel(10)
    client.force_login(town.reviewer_zj)
    overdue = client.get(reverse("trading:complaints") + "?status=overdue").content.decode()
    assert "受理审查已超期" in overdue
    client.force_login(others[0].bidder)
    assert "撤回投诉" in client.get(reverse("trading:complaint", args=[c.pk])).content.decode()
    done = client.post(reverse("trading:complaint-act", args=[c.pk, "withdraw"]), {"row_version": 1}, follow=True)
    assert "投诉已撤回" in done.content.decode() and Complaint.objects.get().status == "withdrawn"
