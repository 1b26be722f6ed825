"""Online pre-review (网上预审): a window clerk passes a submitted online application or returns one
complete list of corrections (一次性告知 = request_correction); the applicant fixes and resubmits.
The statuses and channels where pre-review is allowed are a tested table, like the transition table."""

from __future__ import annotations

import itertools
import threading

import pytest
from django.db import connection, transaction

from tests.cases.conftest import window_case
from tests.cases.factories_apply import citizen, complete_draft, make_online_item, mids, pdf, update
from yingshang.cases import rules
from yingshang.cases.models import Case, NoticeRequest, PreReview, SubmittedMaterial
from yingshang.cases.services import applications, online, prereview
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput, ServiceError
from yingshang.kernel.models import AuditEntry

BASE = "/api/v1/cases"


@pytest.fixture
def online_item(city):
    return make_online_item(city)


def submitted(user, version) -> Case:
    case = complete_draft(user, version)
    with transaction.atomic():
        return applications.do_submit(user, case.pk, case.row_version)


def act(func, *args, **kwargs):
    with transaction.atomic():
        return func(*args, **kwargs)


# --- The table ---------------------------------------------------------------------------------------
PAIRS = list(itertools.product(rules.STATUSES, ("online", "window")))


@pytest.mark.parametrize(("status", "channel"), PAIRS, ids=[f"{s}-{c}" for s, c in PAIRS])
def test_prereview_is_allowed_only_for_submitted_online_applications(status, channel):
    assert rules.prereview_allowed(status, channel) is (status == "submitted" and channel == "online")


def test_services_refuse_prereview_wherever_the_table_does_not_allow_it(city, online_item):
    case = submitted(citizen(), online_item)
    refused = 0
    for status, channel in PAIRS:
        if rules.prereview_allowed(status, channel):
            continue
        Case.objects.filter(pk=case.pk).update(status=status, channel=channel)
        for call in (lambda: prereview.do_pass(city.clerk, case.pk, None),
                     lambda: prereview.do_return(city.clerk, case.pk, None, items=[(None, "缺少签字")])):
            with pytest.raises(Conflict) as caught, transaction.atomic():
                call()
            assert caught.value.code == "case.prereview_not_allowed", (status, channel)
            refused += 1
    assert refused == 2 * (len(PAIRS) - 1)


# --- Pass --------------------------------------------------------------------------------------------
def test_a_pass_is_recorded_told_to_the_applicant_and_given_once_per_round(city, online_item):
    case = submitted(citizen(), online_item)
    after = act(prereview.do_pass, city.clerk, case.pk, case.row_version, note="材料齐全，请等待受理")
    assert after.status == "submitted" and after.row_version == case.row_version + 1
    review = PreReview.objects.get(case=case)
    assert (review.outcome, review.round, review.clerk_name) == ("passed", 0, "王芳")
    assert case.events.filter(kind="prereview_pass", internal=False, text__contains="网上预审通过").exists()
    assert AuditEntry.objects.filter(action="cases.case.prereview_pass", object_id=str(case.pk)).exists()
    with pytest.raises(Conflict) as caught:
        act(prereview.do_pass, city.clerk2, case.pk, after.row_version)
    assert caught.value.code == "case.prereview_done"


def test_only_window_clerks_prereview(city, online_item):
    user = citizen()
    case = submitted(user, online_item)
    for who in (user, city.reviewer_scjg):
        with pytest.raises(Forbidden):
            act(prereview.do_pass, who, case.pk, case.row_version)


# --- Return, fix, resubmit -------------------------------------------------------------------------------
def test_a_return_is_one_complete_correction_notice_and_the_applicant_resubmits(city, online_item):
    user = citizen()
    ids = mids(online_item)
    case = submitted(user, online_item)
    items = [(ids["营业执照"], "营业执照复印件不清晰"), (ids["变更登记申请书"], "缺少法定代表人签字"), (None, "联系电话无法接通")]
    returned = act(prereview.do_return, city.clerk, case.pk, case.row_version, items=items)
    assert returned.status == "correction_requested" and returned.corrections == 1
    review = PreReview.objects.get(case=case)
    assert review.outcome == "returned" and [i["problem"] for i in review.items] == [p for _m, p in items]
    assert review.items[0]["name"] == "营业执照" and review.items[2]["material_id"] is None
    assert NoticeRequest.objects.filter(case=case).exists()  # the 补正材料通知书, issued after commit
    flagged = SubmittedMaterial.objects.get(case=case, material_id=ids["营业执照"])
    assert (flagged.status, flagged.note) == ("missing", "营业执照复印件不清晰")

    with pytest.raises(InvalidInput) as caught:
        act(online.do_resubmit, user, case.pk, returned.row_version)
    assert caught.value.code == "case.corrections_open"
    assert caught.value.details["names"] == ["变更登记申请书", "营业执照"]

    fixed = update(user, returned, uploads={ids["营业执照"]: pdf("清晰.pdf"), ids["变更登记申请书"]: pdf("签字.pdf")},
                   form={"contact_phone": "13900139000"})
    again = act(online.do_resubmit, user, case.pk, fixed.row_version, note="已按要求补正")
    assert again.status == "submitted"
    assert not SubmittedMaterial.objects.filter(case=case).exclude(note="").exists()
    assert case.events.filter(kind="supplement", text__contains="营业执照").exists()
    act(prereview.do_pass, city.clerk, case.pk, again.row_version)  # a new round: a pass is possible again
    assert list(PreReview.objects.filter(case=case).values_list("outcome", "round")) == [("returned", 1), ("passed", 1)]


def test_a_return_needs_at_least_one_item(city, online_item):
    case = submitted(citizen(), online_item)
    with pytest.raises(InvalidInput) as caught:
        act(prereview.do_return, city.clerk, case.pk, case.row_version, items=[])
    assert caught.value.code == "case.correction_items"


def test_only_the_applicant_resubmits_and_only_after_a_return(city, online_item):
    user = citizen()
    case = submitted(user, online_item)
    with pytest.raises(Conflict):
        act(online.do_resubmit, user, case.pk, case.row_version)
    window = window_case(city, online_item)
    with pytest.raises(ServiceError) as caught:
        act(online.do_resubmit, user, window.pk, window.row_version)
    assert caught.value.code == "case.not_found"


# --- API and page ----------------------------------------------------------------------------------------
def test_api_pass_and_return(client, city, online_item):
    user = citizen()
    ids = mids(online_item)
    case = submitted(user, online_item)
    client.force_login(city.clerk)
    passed = client.post(f"{BASE}/{case.case_no}/prereview/pass", {"row_version": case.row_version, "note": "齐全"},
                         content_type="application/json")
    assert passed.status_code == 200 and passed.json()["status"] == "submitted"
    again = client.post(f"{BASE}/{case.case_no}/prereview/pass", {"row_version": passed.json()["row_version"]},
                        content_type="application/json")
    assert (again.status_code, again.json()["code"]) == (409, "case.prereview_done")
    returned = client.post(f"{BASE}/{case.case_no}/prereview/return", {
        "row_version": passed.json()["row_version"], "items": [{"material_id": ids["营业执照"], "problem": "已过期"}]},
        content_type="application/json")
    assert returned.status_code == 200 and returned.json()["status"] == "correction_requested"
    missing = client.post(f"{BASE}/SL2099999999/prereview/pass", {"row_version": 1}, content_type="application/json")
    assert missing.status_code == 404
    client.force_login(user)
    denied = client.post(f"{BASE}/{case.case_no}/prereview/pass", {"row_version": 9}, content_type="application/json")
    assert (denied.status_code, denied.json()["code"]) == (403, "case.forbidden")
    draft = client.get(f"{BASE}/drafts/{case.pk}").json()
    assert draft["prereviews"][-1]["items"][0]["problem"] == "已过期"
    body = client.post(f"{BASE}/drafts/{case.pk}/files", {"row_version": draft["row_version"],
                                                          "material_id": [ids["营业执照"]], "file": [pdf()]}).json()
    resubmitted = client.post(f"{BASE}/drafts/{case.pk}/resubmit", {"row_version": body["row_version"]},
                              content_type="application/json")
    assert resubmitted.status_code == 200 and resubmitted.json()["status"] == "submitted"


def test_the_case_page_offers_prereview_to_clerks_for_online_applications(client, city, online_item):
    user = citizen()
    ids = mids(online_item)
    case = submitted(user, online_item)
    client.force_login(city.clerk)
    page = client.get(f"/cases/{case.case_no}/").content.decode()
    assert "网上预审" in page and "prereview_return" in page
    response = client.post(f"/cases/{case.case_no}/act/prereview_return/", {
        "row_version": case.row_version, "material": [ids["营业执照"]], f"problem_{ids['营业执照']}": "不清晰",
        "other": "请补充联系人"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "correction_requested"
    assert [i["problem"] for i in PreReview.objects.get(case=case).items] == ["不清晰", "请补充联系人"]
    window = window_case(city, online_item)
    assert "prereview_pass" not in client.get(f"/cases/{window.case_no}/").content.decode()


# --- Concurrency -----------------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_two_clerks_prereviewing_at_once_have_one_winner(on_postgres, city, online_item):
    case = submitted(citizen(), online_item)
    rv, barrier, results = case.row_version, threading.Barrier(2), [None, None]

    def worker(i, call):
        try:
            barrier.wait()
            with transaction.atomic():
                results[i] = call()
        except Exception as exc:  # reported to the test
            results[i] = exc
        finally:
            connection.close()

    calls = [lambda: prereview.do_pass(city.clerk, case.pk, rv),
             lambda: prereview.do_return(city.clerk2, case.pk, rv, items=[(None, "缺少签字")])]
    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], Conflict) and errors[0].code == "case.conflict", results
    assert PreReview.objects.filter(case=case).count() == 1
