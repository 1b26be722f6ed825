"""Issuance and delivery over HTTP and on the case page; the applicant sees delivery, tracking number and the rating link."""

import pytest
from django.db import transaction
from django.template.loader import render_to_string
from django.test import RequestFactory

from tests.cases.conftest import PERSON_ID, food_licence, publish
from tests.cases.factories_issuance import approved_case, issued_case
from tests.factories import UserFactory
from yingshang.cases import rules_issuance
from yingshang.cases.models import Case
from yingshang.cases.services import acceptance, applications, issuance
from yingshang.kernel.protect import id_digest, mask_resident_id

pytestmark = pytest.mark.usefixtures("official_calendar", "files")
BASE = "/api/v1/cases"


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


@pytest.fixture
def citizen(db):
    return UserFactory(username="zhangwei", real_name="张伟", citizen=True, id_number_digest=id_digest(PERSON_ID),
                       id_number_masked=mask_resident_id(PERSON_ID))


def online_approved_case(city, version, citizen) -> Case:
    with transaction.atomic():
        case = applications.do_create_application(citizen, version.item.code,
                                                  materials={m.pk: "provided" for m in version.materials.all()})
    with transaction.atomic():
        acceptance.do_accept(city.clerk, case.pk, case.row_version)
    from tests.cases.factories_issuance import REVIEWERS
    from yingshang.cases.services import review

    case.refresh_from_db()
    while step := case.steps.filter(status="active").first():
        with transaction.atomic():
            review.do_step_approve(getattr(city, REVIEWERS[0]), step.pk, case.row_version, reason="符合")
        case.refresh_from_db()
    with transaction.atomic():
        review.do_decide(city.reviewer_scjg, case.pk, case.row_version, approve=True, legal_basis="食品安全法")
    case.refresh_from_db()
    return case


def test_issue_and_pickup_over_http(client, city, food):
    case = approved_case(city, food)
    client.force_login(city.reviewer_scjg)
    response = post(client, f"{BASE}/{case.case_no}/issue", {"row_version": case.row_version})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "issued" and body["issuance"]["number"].startswith("SCJGFOOD00")
    stale = post(client, f"{BASE}/{case.case_no}/issue", {"row_version": case.row_version})
    assert stale.status_code == 409 and stale.json()["code"] == "case.conflict"
    client.force_login(city.clerk2)
    bad = post(client, f"{BASE}/{case.case_no}/deliver/pickup",
               {"row_version": body["row_version"], "picked_up_by": "李娜", "id_number": "123"})
    assert bad.status_code == 400 and bad.json()["code"] == "case.id_number_invalid"
    done = post(client, f"{BASE}/{case.case_no}/deliver/pickup",
                {"row_version": body["row_version"], "picked_up_by": "李娜", "id_number": PERSON_ID}).json()
    assert done["status"] == "concluded" and done["delivery"]["hall"] == city.hall2.name
    assert done["delivery"]["picked_up_id_masked"] == mask_resident_id(PERSON_ID)


def test_express_over_http_and_errors_are_json(client, city, food):
    case = issued_case(city, food)
    client.force_login(city.clerk)
    url = f"{BASE}/{case.case_no}/deliver/express"
    fields = {"row_version": case.row_version, "carrier": "ems", "recipient": "王", "phone": "13800138000", "address": "榆林"}
    assert post(client, url, fields | {"tracking_no": "XX"}).json()["code"] == "case.tracking_no_invalid"
    assert post(client, url, fields | {"tracking_no": "EA123456785CN", "sent_at": "not a date"}).status_code == 422
    done = post(client, url, fields | {"tracking_no": "ea 123456785 cn"}).json()
    assert done["delivery"]["tracking_no"] == "EA123456785CN" and done["status"] == "concluded"
    assert post(client, f"{BASE}/NOPE/issue", {"row_version": 1}).status_code == 404


def test_the_applicant_sees_delivery_and_tracking_number_but_cannot_issue(client, city, food, citizen):
    case = online_approved_case(city, food, citizen)
    client.force_login(citizen)
    assert post(client, f"{BASE}/{case.case_no}/issue", {"row_version": case.row_version}).status_code == 403
    with transaction.atomic():
        issuance.do_issue(city.reviewer_scjg, case.pk, case.row_version)
    case.refresh_from_db()
    with transaction.atomic():
        issuance.do_deliver_express(city.clerk, case.pk, case.row_version, carrier="sf", tracking_no="SF1234567890123",
                                    recipient="张伟", phone="13800138000", address="榆林市")
    state = client.get(f"{BASE}/{case.case_no}/issuance").json()
    assert state["delivery"]["tracking_no"] == "SF1234567890123" and state["status"] == "concluded"
    detail = client.get(f"{BASE}/{case.case_no}")  # the applicant's own case: the timeline shows the tracking number
    assert any("SF1234567890123" in e["text"] for e in detail.json()["events"])
    other = UserFactory(citizen=True)
    client.force_login(other)
    assert client.get(f"{BASE}/{case.case_no}/issuance").status_code == 404
    wallet = client.get("/api/v1/licences")
    assert wallet.status_code == 200 and wallet.json() == []


def test_the_applicant_is_offered_the_rating_link_then_sees_their_rating(city, food, citizen):
    case = online_approved_case(city, food, citizen)
    with transaction.atomic():
        issuance.do_issue(city.reviewer_scjg, case.pk, case.row_version)
    case.refresh_from_db()
    with transaction.atomic():
        issuance.do_deliver_pickup(city.clerk, case.pk, case.row_version, picked_up_by="张伟", id_number=PERSON_ID)
    case = Case.objects.get(pk=case.pk)
    request = RequestFactory().get("/")
    request.user = citizen
    html = render_to_string("cases/_issuance_status.html", {"case": case, "user": citizen}, request=request)
    assert f"/supervision/rate/{case.case_no}/" in html and "电子证照夹" in html
    from yingshang.supervision.services import ratings

    with transaction.atomic():
        ratings.do_rate(citizen, case.case_no, 5, "很快")
    case = Case.objects.get(pk=case.pk)
    html = render_to_string("cases/_issuance_status.html", {"case": case, "user": citizen}, request=request)
    assert "/supervision/rate/" not in html and "很快" in html


def test_the_case_page_issues_and_records_a_pickup(client, city, food):
    version = publish("610800-XK-0001", food_licence(result_name="食品经营许可证"), city.scjg)
    case = approved_case(city, version)
    client.force_login(city.reviewer_scjg)
    page = client.get(f"/cases/{case.case_no}/")
    assert "制发证照（统一出件）" in page.content.decode()
    client.post(f"/cases/{case.case_no}/act/issue/", {"row_version": case.row_version, "result_name": "食品经营许可证"})
    case.refresh_from_db()
    assert case.status == "issued"
    client.force_login(city.clerk)
    page = client.get(f"/cases/{case.case_no}/").content.decode()
    assert "窗口领取" in page and case.issuance.number in page
    client.post(f"/cases/{case.case_no}/act/deliver_pickup/",
                {"row_version": case.row_version, "picked_up_by": "张伟", "id_number": PERSON_ID})
    case.refresh_from_db()
    assert case.status == "concluded"
    assert "已在" in client.get(f"/cases/{case.case_no}/").content.decode()


def test_the_carrier_options_on_the_page_are_the_carriers_of_the_rules():
    from django.template.loader import get_template

    html = open(get_template("cases/_issuance_actions.html").origin.name, encoding="utf-8").read()  # noqa: SIM115
    for code, label in rules_issuance.CARRIERS.items():
        assert f'<option value="{code}">{label}</option>' in html
