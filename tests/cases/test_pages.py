"""The pages: window workspace and window application, case detail with action forms, inbox, list,
public progress lookup (throttled). Forms carry row_version; refusals show the service's message."""

import re

import pytest
from django.core.cache import cache

from tests.cases.conftest import accepted_case, window_case
from tests.helpers import assert_max_queries
from yingshang.cases.models import Case

pytestmark = pytest.mark.usefixtures("official_calendar")


def _row_version(html: str) -> int:
    return int(re.search(r'name="row_version" value="(\d+)"', html).group(1))


def test_window_workspace_lists_applications_waiting_and_finds_by_number(client, city, food):
    case = window_case(city, food)
    client.force_login(city.clerk)
    page = client.get("/cases/window/").content.decode()
    assert case.case_no in page and "待受理的申请" in page
    response = client.get(f"/cases/window/?no={case.case_no.lower()}")
    assert response.status_code == 302 and response["Location"].endswith(f"/cases/{case.case_no}/")


def test_a_clerk_records_a_window_application_and_accepts_it(client, city, food):
    from tests.cases.conftest import valid_uscc

    client.force_login(city.clerk)
    checklist = client.get(f"/cases/window/new/?item={food.item.code}").content.decode()
    assert all(m.name in checklist for m in food.materials.all())
    form = {"item": food.item.code, "applicant_kind": "enterprise", "applicant_name": "榆林市恒泰能源科技有限公司",
            "identifier": valid_uscc(), **{f"m_{m.pk}": "1" for m in food.materials.all()}}
    response = client.post("/cases/window/new/", form)
    case = Case.objects.get()
    assert response.status_code == 302 and case.status == "submitted"
    page = client.get(f"/cases/{case.case_no}/").content.decode()
    assert "受理前核查" in page and "一次性告知补正" in page
    accept = {"row_version": _row_version(page), **{f"m_{m.pk}": "provided" for m in food.materials.all()}}
    response = client.post(f"/cases/{case.case_no}/act/accept/", accept, follow=True)
    assert "已受理" in response.content.decode()
    assert Case.objects.get().status == "accepted"


def test_a_window_application_with_a_bad_identifier_shows_the_reason(client, city, food):
    client.force_login(city.clerk)
    response = client.post("/cases/window/new/", {"item": food.item.code, "applicant_kind": "person",
                                                   "applicant_name": "张伟", "identifier": "610802199001011234"})
    assert response.status_code == 200 and "公民身份号码不正确" in response.content.decode()
    assert not Case.objects.exists()


def test_a_stale_form_is_refused_with_the_conflict_message(client, city, food):
    case = window_case(city, food)
    client.force_login(city.clerk)
    stale = _row_version(client.get(f"/cases/{case.case_no}/").content.decode())
    client.post(f"/cases/{case.case_no}/act/request_correction/", {"row_version": stale, "other": "缺少签字"})
    response = client.post(f"/cases/{case.case_no}/act/refuse/", {"row_version": stale, "reason": "x", "legal_basis": "y"},
                           follow=True)
    assert "该办件已被他人处理，请刷新后重试" in response.content.decode()
    assert Case.objects.get().status == "correction_requested"


def test_a_reviewer_acts_on_the_step_from_the_case_page(client, city, joint):
    case = accepted_case(city, joint)
    client.force_login(city.reviewer_wj)
    inbox = client.get("/cases/inbox/").content.decode()
    assert case.case_no in inbox
    page = client.get(f"/cases/{case.case_no}/").content.decode()
    step_id = case.steps.get(name="卫生许可审查").pk
    assert f'name="step_id" value="{step_id}"' in page
    assert f'value="{case.steps.get(name="税务登记").pk}"' not in page  # not the health department's step
    response = client.post(f"/cases/{case.case_no}/act/step_approve/",
                           {"row_version": _row_version(page), "step_id": step_id}, follow=True)
    assert "审查通过" in response.content.decode()
    assert case.steps.get(pk=step_id).status == "approved"


def test_pages_are_for_the_roles_that_use_them(client, city, food):
    case = window_case(city, food)
    client.force_login(city.reviewer_wj)
    assert client.get("/cases/window/").status_code == 403
    assert client.get(f"/cases/{case.case_no}/").status_code == 404  # outside the health department's scope
    client.force_login(city.clerk)
    assert client.get("/cases/inbox/").status_code == 403
    assert client.post(f"/cases/{case.case_no}/act/bogus/").status_code == 404


def test_inbox_and_list_pages_run_a_fixed_number_of_queries(client, city, food):
    for _ in range(6):
        accepted_case(city, food)
    client.force_login(city.reviewer_scjg)
    client.get("/cases/inbox/")
    with assert_max_queries(12) as few:
        client.get("/cases/inbox/")
    for _ in range(6):
        accepted_case(city, food)
    with assert_max_queries(12) as more:
        client.get("/cases/inbox/")
    assert len(few.captured_queries) == len(more.captured_queries)
    with assert_max_queries(12) as listing:
        assert client.get("/cases/?status=accepted").status_code == 200
    assert listing.captured_queries


def test_public_progress_needs_the_last_four_characters_and_is_throttled(client, city, food):
    cache.clear()
    case = window_case(city, food)
    ok = client.get(f"/cases/progress/?no={case.case_no}&last4={case.identifier_last4}")
    assert ok.status_code == 200 and "待受理" in ok.content.decode() and ok["X-Robots-Tag"] == "noindex"
    for _ in range(10):
        miss = client.get(f"/cases/progress/?no={case.case_no}&last4=0000").content.decode()
        assert "不正确" in miss
    blocked = client.get(f"/cases/progress/?no={case.case_no}&last4={case.identifier_last4}").content.decode()
    assert "查询次数过多" in blocked
    cache.clear()


def test_the_checks_panel_reruns_with_the_id_typed_from_the_card(client, city, food):
    from tests.cases.conftest import PERSON_ID, person

    case = window_case(city, food, applicant=person())
    client.force_login(city.clerk)
    page = client.get(f"/cases/{case.case_no}/").content.decode()
    assert "未录入证件号码核验身份" in page
    fragment = client.post(f"/cases/{case.case_no}/act/checks/", {"id_number": PERSON_ID}, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and "受理前核查未发现需要提示的情形" in fragment.content.decode()
    wrong = client.post(f"/cases/{case.case_no}/act/checks/", {"id_number": "610802199001011253"}, HTTP_HX_REQUEST="true")
    assert "不一致" in wrong.content.decode() or "不正确" in wrong.content.decode()
