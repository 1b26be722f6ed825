"""The cases API: the whole flow over HTTP, and every refusal as our error JSON (never a 500)."""

import pytest

from tests.cases.conftest import valid_uscc
from yingshang.cases.models import Case
from yingshang.kernel.services.org import do_issue_api_token

pytestmark = pytest.mark.usefixtures("official_calendar", "files")
BASE = "/api/v1/cases"


def post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def _create(client, version, **extra):
    body = {"item_code": version.item.code,
            "applicant": {"kind": "enterprise", "name": "榆林市恒泰能源科技有限公司", "identifier": valid_uscc()},
            "materials": [{"material_id": m.pk, "status": "provided"} for m in version.materials.all()], **extra}
    response = post(client, BASE, body)
    assert response.status_code == 201, response.json()
    return response.json()


def test_window_application_acceptance_review_and_decision_over_http(client, city, joint):
    client.force_login(city.clerk)
    case = _create(client, joint)
    assert case["status"] == "submitted" and case["case_no"].startswith("SL")
    no = case["case_no"]
    checks = post(client, f"{BASE}/{no}/checks").json()
    assert checks == {"hits": [], "blocking": False}
    accepted = post(client, f"{BASE}/{no}/accept", {"row_version": case["row_version"]}).json()
    assert accepted["status"] == "accepted" and accepted["deadline"] and accepted["documents"][0]["title"] == "受理通知书"
    for user in (city.reviewer_scjg, city.reviewer_wj, city.reviewer_sw):
        client.force_login(user)
        inbox = client.get(f"{BASE}/inbox").json()
        (row,) = inbox["items"]
        detail = client.get(f"{BASE}/{no}").json()
        response = post(client, f"{BASE}/{no}/steps/{row['step_id']}/approve", {"row_version": detail["row_version"]})
        assert response.status_code == 200, response.json()
    client.force_login(city.reviewer_scjg)
    detail = client.get(f"{BASE}/{no}").json()
    step = next(s for s in detail["steps"] if s["status"] == "active")
    detail = post(client, f"{BASE}/{no}/steps/{step['id']}/approve", {"row_version": detail["row_version"]}).json()
    decided = post(client, f"{BASE}/{no}/decide", {"row_version": detail["row_version"], "approve": True,
                                                    "legal_basis": "一件事一次办指导意见"}).json()
    assert decided["status"] == "approved" and decided["on_time"] is True
    assert [e["kind"] for e in decided["events"]][:3] == ["submit", "accept", "step_approve"]


def test_a_stale_row_version_is_409_conflict(client, city, food):
    client.force_login(city.clerk)
    case = _create(client, food)
    assert post(client, f"{BASE}/{case['case_no']}/accept", {"row_version": case["row_version"]}).status_code == 200
    response = post(client, f"{BASE}/{case['case_no']}/accept", {"row_version": case["row_version"]})
    assert response.status_code == 409
    assert response.json()["code"] == "case.conflict" and response.json()["message"] == "该办件已被他人处理，请刷新后重试"


def test_an_action_the_state_does_not_allow_is_409_with_the_allowed_ones(client, city, food):
    client.force_login(city.clerk)
    case = _create(client, food)
    response = post(client, f"{BASE}/{case['case_no']}/resume", {"row_version": case["row_version"]})
    assert response.status_code in (403, 409)
    client.force_login(city.reviewer_scjg)
    response = post(client, f"{BASE}/{case['case_no']}/decide", {"row_version": case["row_version"], "approve": True,
                                                                   "legal_basis": "x"})
    body = response.json()
    assert response.status_code == 409 and body["code"] == "case.transition_not_allowed"
    assert "accept" in body["details"]["allowed"]


@pytest.mark.parametrize(("method", "url", "body", "status", "code"), [
    ("get", "/NOPE123", None, 404, "case.not_found"),
    ("post", "/SL2026999999/accept", {"row_version": 1}, 404, "case.not_found"),
    ("post", "/{no}/accept", {}, 422, "invalid_input"),
    ("post", "/{no}/accept", {"row_version": "x"}, 422, "invalid_input"),
    ("post", "/{no}/accept", {"row_version": 2**40}, 422, "invalid_input"),
    ("post", "/{no}/accept", {"row_version": 1, "materials": [{"material_id": 2**70, "status": "provided"}]}, 422,
     "invalid_input"),
    ("post", "/{no}/accept", {"row_version": "RV", "materials": [{"material_id": 999999, "status": "provided"}]}, 400,
     "case.material_unknown"),
    ("post", "/{no}/steps/99999999/approve", {"row_version": "RV"}, 404, "case.step_not_found"),
    ("post", "/{no}/steps/999999999999999999/approve", {"row_version": 1}, 404, "case.step_not_found"),
    ("post", "/{no}/steps/999999999999999999999/approve", {"row_version": 1}, 404, "not_found"),  # beyond int64
    ("post", "/{no}/refuse", {"row_version": "RV", "reason": "", "legal_basis": ""}, 400, "case.reason_required"),
    ("post", "/{no}/suspend", {"row_version": "RV", "kind": "holiday", "reason": "x"}, 422, "invalid_input"),
    ("get", "?status=bogus", None, 422, "invalid_input"),
    ("get", "?cursor=%%%", None, 422, "case.bad_cursor"),
    ("get", "?received_from=2025-13-01", None, 422, "invalid_input"),
    ("post", "/drafts/0/submit", {"row_version": 1}, 404, "case.not_found"),
])
def test_bad_requests_get_our_error_json(client, city, food, method, url, body, status, code):
    client.force_login(city.clerk)
    case = _create(client, food)
    url = BASE + url.replace("{no}", case["case_no"])
    if body and body.get("row_version") == "RV":
        body = {**body, "row_version": case["row_version"]}
    response = client.get(url) if method == "get" else post(client, url, body)
    assert response.status_code == status, response.content[:500]
    assert response.json()["code"] == code and response.json()["message"]


def test_anonymous_callers_get_401_and_others_403(client, city, food):
    assert client.get(BASE).status_code == 401
    client.force_login(city.clerk)
    case = _create(client, food)
    client.force_login(city.reviewer_wj)
    response = post(client, f"{BASE}/{case['case_no']}/accept", {"row_version": case["row_version"]})
    assert response.status_code == 403 and response.json()["code"] == "case.forbidden"
    assert client.get(f"{BASE}/{case['case_no']}").status_code == 404  # not in the health reviewer's scope


def test_a_blocking_check_is_400_with_the_hits(client, city, food):
    from yingshang.kernel.hooks import ACCEPTANCE_CHECKS, CheckHit

    def handler(**kw):
        return [CheckHit("credit", "credit.black_list", "列入严重失信主体名单", blocking=True)]

    ACCEPTANCE_CHECKS.register(handler)
    try:
        client.force_login(city.clerk)
        case = _create(client, food)
        response = post(client, f"{BASE}/{case['case_no']}/accept", {"row_version": case["row_version"]})
        assert response.status_code == 400 and response.json()["code"] == "case.blocking_check"
        assert response.json()["details"]["hits"][0]["code"] == "credit.black_list"
        response = post(client, f"{BASE}/{case['case_no']}/accept", {"row_version": case["row_version"],
                                                                      "override_reason": "经核实为同名企业"})
        assert response.status_code == 200
    finally:
        ACCEPTANCE_CHECKS.unregister(handler)


def test_list_search_and_pagination_over_http(client, city, food):
    client.force_login(city.clerk)
    created = [_create(client, food) for _ in range(5)]
    page = client.get(f"{BASE}?limit=2").json()
    assert len(page["items"]) == 2 and page["next_cursor"]
    rest = client.get(f"{BASE}?limit=10&cursor={page['next_cursor']}").json()
    assert len(rest["items"]) == 3 and rest["next_cursor"] is None
    found = client.get(f"{BASE}?q={created[0]['case_no']}").json()["items"]
    assert [c["case_no"] for c in found] == [created[0]["case_no"]]


def test_system_tokens_work_like_a_session(client, city, food):
    _, raw = do_issue_api_token(city.clerk, "大厅叫号系统")
    body = {"item_code": food.item.code,
            "applicant": {"kind": "enterprise", "name": "榆林市恒泰能源科技有限公司", "identifier": valid_uscc()}}
    response = client.post(BASE, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 201 and Case.objects.get().channel == "window"


def test_applicants_see_only_public_events(client, city, food):
    from tests.cases.conftest import PERSON_ID
    from tests.factories import UserFactory
    from yingshang.kernel.protect import id_digest

    citizen = UserFactory(role_codes=["citizen"], real_name="李雷", id_number_digest=id_digest(PERSON_ID),
                          id_number_masked="610802********123X")
    client.force_login(citizen)
    draft = post(client, BASE, {"item_code": food.item.code, "submit": False,
                                "materials": [{"material_id": m.pk, "status": "provided"} for m in food.materials.all()]})
    assert draft.status_code == 201 and draft.json()["case_no"] is None
    submitted = post(client, f"{BASE}/drafts/{draft.json()['id']}/submit", {"row_version": draft.json()["row_version"]})
    assert submitted.status_code == 200
    no = submitted.json()["case_no"]
    client.force_login(city.clerk)
    post(client, f"{BASE}/{no}/accept", {"row_version": submitted.json()["row_version"], "id_number": PERSON_ID})
    client.force_login(citizen)
    mine = client.get(f"{BASE}/{no}").json()
    assert mine["status"] == "accepted" and all(not e["internal"] and e["actor_name"] == "" for e in mine["events"])
    assert client.get(BASE).json()["items"][0]["case_no"] == no
