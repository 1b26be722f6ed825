"""My cases (我的办件): the applicant's own cases and drafts with status, deadline (provisional shown as
such), warning and the latest public timeline entry; keyset pages in a fixed number of queries; one
case with its full public timeline; withdrawal."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from tests.cases.factories_apply import citizen, complete_draft, make_online_item, mids, new_draft
from tests.helpers import assert_max_queries
from yingshang.cases.models import Case, CaseEvent
from yingshang.cases.services import acceptance, applications

BASE = "/api/v1/cases"


@pytest.fixture
def online_item(city):
    return make_online_item(city)


def submitted(user, version) -> Case:
    case = complete_draft(user, version)
    with transaction.atomic():
        return applications.do_submit(user, case.pk, case.row_version)


def accepted(city, user, version) -> Case:
    case = submitted(user, version)
    with transaction.atomic():
        # the window saw the paper site proof the applicant left pending online
        return acceptance.do_accept(city.clerk, case.pk, case.row_version,
                                    materials={mids(version)["经营场所使用证明"]: "provided"})


def test_my_cases_lists_own_cases_with_status_deadline_and_latest_public_entry(client, city, online_item):
    user, other = citizen(), citizen("hanmeimei", "韩梅梅", "11010519491231002X")
    draft = new_draft(user, online_item)
    case = accepted(city, user, online_item)
    Case.objects.filter(pk=case.pk).update(deadline=date(2031, 1, 6), deadline_provisional=True, warning="yellow")
    CaseEvent.objects.create(case=case, kind="note", text="内部：信用核查提示", internal=True,
                             at=timezone.now() + timedelta(minutes=5))
    submitted(other, online_item)
    client.force_login(user)
    page = client.get("/cases/mine/").content.decode()
    assert case.case_no in page and f"/cases/apply/{online_item.item.code}/{draft.pk}/" in page
    assert "2031-01-06" in page and "临时" in page and "warn--yellow" in page
    assert "受理申请" in page and "内部：信用核查提示" not in page
    assert "韩梅梅" not in page and page.count("<tr class=") == 2
    body = client.get(f"{BASE}/my/cases").json()
    first = body["items"][0]
    assert [c["id"] for c in body["items"]] == [case.pk, draft.pk]
    assert (first["deadline"], first["deadline_provisional"], first["warning"]) == ("2031-01-06", True, "yellow")
    assert "受理申请" in first["last_event"] and body["items"][1]["case_no"] is None


def test_my_cases_pages_by_keyset_in_a_fixed_number_of_queries(client, city, online_item):
    user = citizen()
    for _ in range(25):
        case = Case.objects.create(item=online_item.item, item_version=online_item, item_name="企业变更登记",
                                   kind="committed", department=city.scjg, applicant=user, applicant_kind="person",
                                   applicant_name="李雷", channel="online", status="submitted")
        CaseEvent.objects.create(case=case, kind="submit", text=f"网上申报：提交 {case.pk}")
    client.force_login(user)
    client.get("/cases/mine/")  # warm the session and the user's roles
    with assert_max_queries(6):
        first = client.get("/cases/mine/")
    assert first.status_code == 200 and first.content.decode().count("<tr class=") == 20
    cursor = first.context["next_cursor"]
    with assert_max_queries(6):
        second = client.get(f"/cases/mine/?cursor={cursor}")
    assert second.content.decode().count("<tr class=") == 5 and second.context["next_cursor"] is None
    ids = [c["id"] for c in client.get(f"{BASE}/my/cases?limit=10").json()["items"]]
    page = client.get(f"{BASE}/my/cases?limit=10").json()
    rest = client.get(f"{BASE}/my/cases?limit=100&cursor={page['next_cursor']}").json()
    assert len(ids) == 10 and len(rest["items"]) == 15 and not set(ids) & {c["id"] for c in rest["items"]}
    assert all(c["last_event"].startswith("网上申报") for c in rest["items"])
    bad = client.get(f"{BASE}/my/cases?cursor=not-a-cursor")
    assert (bad.status_code, bad.json()["code"]) == (422, "case.bad_cursor")
    assert client.get("/cases/mine/?cursor=%%%").status_code == 302


def test_my_case_page_shows_the_full_public_timeline_to_its_applicant_only(client, city, online_item):
    user = citizen()
    case = accepted(city, user, online_item)
    CaseEvent.objects.create(case=case, kind="note", text="内部备注", internal=True)
    client.force_login(user)
    page = client.get(f"/cases/mine/{case.case_no}/").content.decode()
    assert "网上申报：提交企业变更登记申请" in page and "受理申请" in page and "内部备注" not in page
    assert "营业执照.pdf" in page
    assert client.get(f"/cases/{case.case_no}/").status_code == 403  # the staff page is not theirs
    client.force_login(citizen("hanmeimei", "韩梅梅", "11010519491231002X"))
    assert client.get(f"/cases/mine/{case.case_no}/").status_code == 404
    client.force_login(city.clerk)
    assert client.get("/cases/mine/").status_code == 403


def test_the_applicant_withdraws_from_their_case_page(client, city, online_item):
    user = citizen()
    case = submitted(user, online_item)
    client.force_login(user)
    stale = client.post(f"/cases/mine/{case.case_no}/withdraw/", {"row_version": case.row_version + 3})
    assert stale.status_code == 302 and Case.objects.get(pk=case.pk).status == "submitted"
    client.post(f"/cases/mine/{case.case_no}/withdraw/", {"row_version": case.row_version, "reason": "信息填错"})
    assert Case.objects.get(pk=case.pk).status == "withdrawn"


def test_nav_shows_the_applicant_pages_to_applicants(client, city):
    from yingshang.kernel import navigation

    keys = [i.key for i in navigation.visible_items(citizen(), "/cases/mine/")]
    assert {"cases-apply", "cases-mine", "cases-library"} <= set(keys)
    assert "cases-mine" not in [i.key for i in navigation.visible_items(city.clerk, "/")]
