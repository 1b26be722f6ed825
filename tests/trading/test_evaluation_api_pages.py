"""The evaluation API (flow with codes, scoping: an expert sees only their lots and never another member's
unsubmitted scores) and the pages (lists, scoring form, plan form, report signing, clarifications)."""

import pytest

from tests.factories import UserFactory
from tests.helpers import assert_max_queries
from tests.trading.factories_evaluation import PLAN, evaluating_lot, opening_lot, score_all
from yingshang.kernel import access
from yingshang.trading import rules
from yingshang.trading.models import Lot

pytestmark = pytest.mark.django_db
API = "/api/v1/trading"


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def put(client, url, body):
    return client.put(url, body, content_type="application/json")


def test_the_whole_evaluation_through_the_api(client, town):
    ev = opening_lot(town)
    client.force_login(town.staff)
    started = post(client, f"{API}/lots/{ev.lot.pk}/evaluation/start", {"row_version": ev.lot.row_version})
    assert started.status_code == 200 and started.json()["status"] == rules.EVALUATING
    client.force_login(ev.experts[0])
    assert [r["id"] for r in client.get(f"{API}/evaluations").json()["items"]] == [ev.lot.pk]
    sheet = client.get(f"{API}/bids/{ev.bids[0].pk}/score-sheet").json()
    scores = {str(i["id"]): str(int(float(i["max_points"]) * 0.8)) for i in sheet["items"]}
    saved = put(client, f"{API}/bids/{ev.bids[0].pk}/score-sheet", {"scores": scores, "submit": True})
    assert saved.status_code == 200 and saved.json()["submitted_at"]
    again = put(client, f"{API}/bids/{ev.bids[0].pk}/score-sheet", {"scores": scores})
    assert again.status_code == 409 and again.json()["code"] == "trading.score_submitted"
    score_all(ev, skip={(ev.members[0].pk, ev.bids[0].pk)})
    view = client.get(f"{API}/lots/{ev.lot.pk}/evaluation").json()
    assert len(view["totals"]) == 4 and view["bids"][0]["credit_grade"] == ""
    candidates = [{"bid": ev.bids[0].pk, "strengths": "报价最低", "risks": "工期偏紧"}]
    drafted = post(client, f"{API}/lots/{ev.lot.pk}/evaluation/report", {"summary": "评审完毕", "candidates": candidates})
    assert drafted.status_code == 201, drafted.json()
    for user in ev.experts:
        client.force_login(user)
        signed = post(client, f"{API}/lots/{ev.lot.pk}/evaluation/report/sign", {"dissent": ""})
        assert signed.status_code == 200
    report = signed.json()
    assert report["status"] == "done" and len(report["sha256"]) == 64 and report["candidates"][0]["rank"] is None


def test_errors_come_back_with_codes_never_500(client, town):
    ev = evaluating_lot(town)
    client.force_login(ev.experts[0])
    bad = post(client, f"{API}/bids/{ev.bids[0].pk}/disqualifications", {"ground": "nope", "note": "x"})
    assert bad.status_code == 400 and bad.json()["code"] == "trading.ground_invalid"
    fail = post(client, f"{API}/lots/{ev.lot.pk}/evaluation/fail", {"row_version": ev.lot.row_version, "reason": "x"})
    assert fail.status_code == 409 and fail.json()["code"] == "trading.enough_valid_bids"
    garbage = put(client, f"{API}/bids/{ev.bids[0].pk}/score-sheet", {"scores": {"1": "abc"}})
    assert garbage.status_code in (400, 422) and "code" in garbage.json()
    empty = post(client, f"{API}/lots/{ev.lot.pk}/evaluation/report", {"summary": "x", "candidates": []})
    assert empty.status_code == 409 and empty.json()["code"] == "trading.scores_pending"
    client.force_login(town.staff)
    again = post(client, f"{API}/lots/{ev.lot.pk}/evaluation/start", {"row_version": ev.lot.row_version})
    assert again.status_code == 409 and again.json()["code"] == "trading.transition_not_allowed"


def test_an_expert_sees_only_their_lots_and_no_unsubmitted_scores(client, town):
    ev = evaluating_lot(town)
    other = evaluating_lot(town)
    client.force_login(ev.experts[0])
    assert client.get(f"{API}/lots/{other.lot.pk}/evaluation").status_code == 404
    assert client.get(f"{API}/bids/{other.bids[0].pk}/score-sheet").status_code == 404
    assert client.get(f"/trading/evaluations/{other.lot.pk}/").status_code == 404
    items = list(ev.lot.evaluation_plan.items.all())
    client.force_login(ev.experts[1])
    put(client, f"{API}/bids/{ev.bids[0].pk}/score-sheet", {"scores": {str(i.pk): "7" for i in items}})  # a draft
    client.force_login(ev.experts[0])
    assert client.get(f"{API}/bids/{ev.bids[0].pk}/score-sheet").json()["others"] == []
    put(client, f"{API}/bids/{ev.bids[0].pk}/score-sheet", {"scores": {str(i.pk): "8" for i in items},
                                                             "submit": True})
    assert client.get(f"{API}/bids/{ev.bids[0].pk}/score-sheet").json()["others"] == []  # a draft stays hidden
    client.force_login(ev.experts[1])
    put(client, f"{API}/bids/{ev.bids[0].pk}/score-sheet", {"scores": {str(i.pk): "7" for i in items},
                                                             "submit": True})
    client.force_login(ev.experts[0])
    others = client.get(f"{API}/bids/{ev.bids[0].pk}/score-sheet").json()["others"]
    assert {o["points"] for o in others} == {"7.00"}
    view = client.get(f"{API}/lots/{ev.lot.pk}/evaluation").json()
    assert [t["bid"] for t in view["totals"]] == [ev.bids[0].pk]  # only what this member submitted
    Lot.objects.filter(pk=ev.lot.pk).update(status=rules.PUBLICITY)
    assert client.get(f"{API}/evaluations").json()["items"] == []  # only while in evaluation


def test_a_lot_at_the_opening_is_sealed_from_its_experts(client, town):
    ev = opening_lot(town)
    client.force_login(ev.experts[0])
    assert client.get(f"{API}/evaluations").json()["items"] == []
    assert client.get(f"{API}/lots/{ev.lot.pk}/evaluation").status_code == 404


def test_the_bidder_answers_a_clarification_on_its_page_and_api(client, town):
    ev = evaluating_lot(town)
    client.force_login(ev.experts[0])
    asked = post(client, f"{API}/bids/{ev.bids[0].pk}/clarifications", {"question": "请说明报价构成"})
    assert asked.status_code == 201
    clar = asked.json()["id"]
    client.force_login(ev.bids[1].bidder)
    assert client.get(f"{API}/clarifications").json()["items"] == []
    assert post(client, f"{API}/clarifications/{clar}/answer", {"answer": "x", "no_change_statement": True}
                ).status_code == 404
    client.force_login(ev.bids[0].bidder)
    page = client.get("/trading/clarifications/")
    assert page.status_code == 200 and "请说明报价构成" in page.content.decode()
    refused = post(client, f"{API}/clarifications/{clar}/answer", {"answer": "x", "no_change_statement": False})
    assert refused.status_code == 400 and refused.json()["code"] == "trading.statement_required"
    response = client.post(f"/trading/clarifications/{clar}/answer/", {"answer": "报价含税", "no_change_statement": "1"})
    assert response.status_code == 302
    assert client.get(f"{API}/clarifications").json()["items"][0]["answer"] == "报价含税"


def test_plan_through_api_and_page(client, town):
    ev = opening_lot(town, plan=None)
    Lot.objects.filter(pk=ev.lot.pk).update(status=rules.ANNOUNCED)
    client.force_login(town.tenderer)
    methods = client.get(f"{API}/evaluation-methods").json()
    assert {m["code"] for m in methods["methods"]} == {"comprehensive", "lowest_price", "reasonable_low",
                                                         "gp_low_price"}
    bad = put(client, f"{API}/lots/{ev.lot.pk}/evaluation-plan", {**PLAN, "credit_weight": "5", "price_weight": "45"})
    assert bad.status_code == 400 and bad.json()["code"] == "trading.credit_weight_too_low"
    ok = put(client, f"{API}/lots/{ev.lot.pk}/evaluation-plan", PLAN)
    assert ok.status_code == 200 and len(ok.json()["plan"]["items"]) == 3
    page = client.get(f"/trading/evaluation-plans/{ev.lot.pk}/")
    assert page.status_code == 200 and "csrfmiddlewaretoken" in page.content.decode()
    form = {"method": "comprehensive", "technical_weight": "40", "commercial_weight": "10", "price_weight": "45",
            "credit_weight": "5", "clarification_hours": "24", "row_version": ok.json()["plan"]["row_version"],
            "item0-part": "technical", "item0-name": "方案", "item0-max_points": "40",
            "item1-part": "commercial", "item1-name": "业绩", "item1-max_points": "10"}
    shown = client.post(f"/trading/evaluation-plans/{ev.lot.pk}/", form)
    assert shown.status_code == 200 and "信用评价权重不得低于10%" in shown.content.decode()
    saved = client.post(f"/trading/evaluation-plans/{ev.lot.pk}/", {**form, "price_weight": "40", "credit_weight": "10"})
    assert saved.status_code == 302
    client.force_login(town.other_tenderer)
    assert put(client, f"{API}/lots/{ev.lot.pk}/evaluation-plan", PLAN).status_code == 404


def test_the_pages_of_an_expert(client, town):
    ev = evaluating_lot(town)
    client.force_login(ev.experts[0])
    listing = client.get("/trading/evaluations/")
    assert listing.status_code == 200 and ev.lot.name in listing.content.decode()
    page = client.get(f"/trading/evaluations/{ev.lot.pk}/")
    assert page.status_code == 200 and "提议否决" in page.content.decode()
    form = client.get(f"/trading/evaluations/bids/{ev.bids[0].pk}/")
    assert form.status_code == 200 and "提交评分" in form.content.decode()
    items = list(ev.lot.evaluation_plan.items.all())
    bad = client.post(f"/trading/evaluations/bids/{ev.bids[0].pk}/", {f"item_{items[0].pk}": "99", "submit": "1"},
                      follow=True)
    assert "施工组织设计" in bad.content.decode() and bad.status_code == 200
    done = client.post(f"/trading/evaluations/bids/{ev.bids[0].pk}/",
                       {**{f"item_{i.pk}": "8" for i in items}, "submit": "1"}, follow=True)
    assert "评分已提交" in done.content.decode()
    vote = client.post(f"/trading/evaluations/{ev.lot.pk}/act/propose/",
                       {"bid": ev.bids[3].pk, "ground": "above_ceiling", "note": "超限价"}, follow=True)
    assert "已提议否决" in vote.content.decode()


def test_report_signing_on_the_page_shows_the_pdf_hash(client, town):
    ev = evaluating_lot(town)
    score_all(ev)
    client.force_login(ev.experts[0])
    drafted = client.post(f"/trading/evaluations/{ev.lot.pk}/act/draft/", {
        "summary": "评审完毕", "candidate": [ev.bids[0].pk], f"strengths_{ev.bids[0].pk}": "报价低",
        f"risks_{ev.bids[0].pk}": "工期紧"}, follow=True)
    assert "评标报告已起草" in drafted.content.decode()
    for i, user in enumerate(ev.experts):
        client.force_login(user)
        page = client.post(f"/trading/evaluations/{ev.lot.pk}/act/sign/", {"dissent": "不同意" if i == 1 else ""},
                           follow=True)
    body = page.content.decode()
    assert "评标报告已完成" in body and "SHA-256" in body and "不同意" in body


def test_the_centre_starts_on_its_page_and_lists_with_few_queries(client, town):
    for _ in range(3):
        opening_lot(town)
    ev = opening_lot(town)
    client.force_login(town.staff)
    with assert_max_queries(12):
        listing = client.get("/trading/evaluations/")
    assert listing.status_code == 200 and listing.content.decode().count("/trading/evaluations/") >= 4
    with assert_max_queries(8):
        client.get(f"{API}/evaluations")
    page = client.get(f"/trading/evaluations/{ev.lot.pk}/")
    assert "开始评标" in page.content.decode()
    started = client.post(f"/trading/evaluations/{ev.lot.pk}/act/start/", {"row_version": ev.lot.row_version},
                          follow=True)
    assert "已开始评标" in started.content.decode()
    assert Lot.objects.get(pk=ev.lot.pk).status == rules.EVALUATING


def test_people_outside_evaluation_get_403(client, town):
    client.force_login(town.citizen)
    assert client.get("/trading/evaluations/").status_code == 403
    assert client.get("/trading/clarifications/").status_code == 403
    client.force_login(UserFactory(role_codes=[access.BIDDER]))
    assert client.get(f"{API}/evaluations").status_code == 403


def test_the_demo_gives_the_expert_a_lot_with_scores_partly_entered(client, town):
    from tests.factories import _uscc
    from yingshang.kernel.demo import DemoReport
    from yingshang.trading import demo_evaluation
    from yingshang.trading.models import ScoreSheet

    expert = UserFactory(username="expert", role_codes=[access.EXPERT])
    bidder = UserFactory(username="bidder", role_codes=[access.BIDDER], uscc=_uscc(12345),
                         organization_name="陕西秦川建设工程有限公司")
    demo_evaluation.seed_evaluation(DemoReport())
    demo_evaluation.seed_evaluation(DemoReport())  # idempotent
    lot = Lot.objects.get(project__approval_no=demo_evaluation.APPROVAL)
    assert lot.status == rules.EVALUATING
    sheets = ScoreSheet.objects.filter(member__user=expert)
    assert sheets.filter(submitted_at__isnull=False).count() == 1 and sheets.filter(submitted_at=None).count() == 1
    client.force_login(expert)
    assert lot.name in client.get("/trading/evaluations/").content.decode()
    assert client.get(f"/trading/evaluations/{lot.pk}/").status_code == 200
    client.force_login(bidder)
    assert "安全文明施工费" in client.get("/trading/clarifications/").content.decode()


def test_the_methods_are_kept_in_the_admin(client, town):
    admin = UserFactory(username="root", admin=True)
    client.force_login(admin)
    page = client.get("/admin/trading/evaluationmethod/")
    assert page.status_code == 200 and "综合评估法" in page.content.decode()
    assert client.get("/admin/trading/evaluationplan/").status_code == 200
    assert client.get("/admin/trading/evaluationreport/").status_code == 200


@pytest.mark.parametrize("bids", [4, 12])
def test_the_evaluation_pages_run_the_same_queries_for_more_bids(client, town, bids):
    from decimal import Decimal

    ev = evaluating_lot(town, prices=[Decimal(4400000 + i * 10000) for i in range(bids)])
    score_all(ev)
    client.force_login(ev.experts[0])
    for url, most in ((f"/trading/evaluations/{ev.lot.pk}/", 26), (f"{API}/lots/{ev.lot.pk}/evaluation", 25),
                      (f"/trading/evaluations/bids/{ev.bids[0].pk}/", 15), ("/trading/evaluations/", 7)):
        with assert_max_queries(most):
            assert client.get(url).status_code == 200


def test_the_signed_report_pdf_is_read_by_the_committee_and_the_tenderer_only(client, town, settings, tmp_path,
                                                                            django_capture_on_commit_callbacks):
    from django.db import transaction

    from yingshang.trading.services import evaluation_report

    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path)}}}
    ev = evaluating_lot(town)
    score_all(ev)
    url = f"/trading/evaluations/{ev.lot.pk}/report.pdf"
    client.force_login(ev.experts[0])
    assert client.get(url).status_code == 404  # not yet
    with transaction.atomic():
        evaluation_report.do_draft(ev.experts[0], ev.lot.pk, "评审完毕",
                                   [{"bid": ev.bids[0].pk, "strengths": "s", "risks": "r"}])
    with django_capture_on_commit_callbacks(execute=True):  # the file is written when the signing commits
        for user in ev.experts:
            with transaction.atomic():
                evaluation_report.do_sign(user, ev.lot.pk)
    for user in (ev.experts[0], town.tenderer, town.staff):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200 and response.content.startswith(b"%PDF"), user
    assert client.get(f"{API}/lots/{ev.lot.pk}/evaluation/report.pdf").content.startswith(b"%PDF")
    for user in (town.other_tenderer, ev.bids[0].bidder):
        client.force_login(user)
        assert client.get(url).status_code == 404
