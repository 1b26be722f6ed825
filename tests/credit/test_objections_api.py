"""API of objections, repairs and commitments: file, upload evidence, list, decide (409 the second time);
bad input is 4xx with {code, message}, never 500."""

from datetime import date

import pytest

from tests.credit.factories_objections import enterprise_user, pdf_file, penalty, subject_for, uscc

API = "/api/v1/credit"


@pytest.fixture
def firm(city):
    subject = subject_for(uscc(7))
    return {"subject": subject, "user": enterprise_user(uscc(7)), "penalty": penalty(city.scjg, subject, date(2026, 6, 1))}


def post(client, path, body):
    return client.post(f"{API}{path}", body, content_type="application/json")


def test_an_objection_is_filed_given_evidence_listed_and_decided_once(city, firm, client):
    client.force_login(firm["user"])
    response = post(client, "/objections", {"target_kind": "penalty", "target_id": firm["penalty"].pk, "reason": "有误"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "open" and body["deadline"] == "2026-12-11" and body["department"] == "610800-SCJG"
    upload = client.post(f"{API}/objections/{body['id']}/evidence", {"files": [pdf_file(), pdf_file("b.pdf")]})
    assert upload.status_code == 200 and [e["name"] for e in upload.json()["evidence"]] == ["缴款凭证.pdf", "b.pdf"]
    assert "path" not in upload.json()["evidence"][0]
    assert [o["id"] for o in client.get(f"{API}/objections").json()] == [body["id"]]
    assert post(client, f"/objections/{body['id']}/decide", {"outcome": "upheld", "note": "x"}).status_code == 403
    client.force_login(city.reviewer)
    assert [o["id"] for o in client.get(f"{API}/objections?status=open").json()] == [body["id"]]
    decided = post(client, f"/objections/{body['id']}/decide",
                   {"outcome": "upheld", "resolution": "corrected", "corrections": {"content": "罚款2000元"}, "note": "更正"})
    assert decided.status_code == 200 and decided.json()["resolution"] == "corrected"
    again = post(client, f"/objections/{body['id']}/decide", {"outcome": "rejected", "note": "再次"})
    assert again.status_code == 409 and again.json()["code"] == "credit.objection_closed"
    client.force_login(city.reviewer_yj)
    assert client.get(f"{API}/objections/{body['id']}").status_code == 404


def test_a_clerk_files_on_behalf_with_the_code_in_the_body(city, firm, client):
    client.force_login(city.clerk)
    response = post(client, "/objections", {"target_kind": "penalty", "target_id": firm["penalty"].pk, "reason": "代办",
                                            "subject_code": uscc(7)})
    assert response.status_code == 201 and response.json()["on_behalf"] is True


@pytest.mark.parametrize("body", [
    {"target_kind": "penalty", "target_id": 0, "reason": "x"},
    {"target_kind": "bogus", "target_id": 1, "reason": "x"},
    {"target_kind": "penalty", "target_id": 1},
    {"target_kind": "penalty", "target_id": 999999, "reason": "x"},
    {"target_kind": "penalty", "target_id": 1, "reason": "x", "subject_code": "not-a-code"},
    {"target_kind": "penalty", "target_id": 1, "reason": "x" * 5000},
])
def test_bad_objection_input_is_a_clear_4xx(city, firm, client, body):
    client.force_login(city.clerk)
    response = post(client, "/objections", body)
    assert 400 <= response.status_code < 500 and "code" in response.json()


def test_a_repair_is_filed_as_multipart_and_decided_by_the_credit_office(city, firm, client):
    client.force_login(firm["user"])
    response = client.post(f"{API}/repairs", {"target_kind": "penalty", "target_id": firm["penalty"].pk,
                                              "rectification": "已缴纳", "commitment_text": "承诺", "files": [pdf_file()]})
    assert response.status_code == 201, response.content
    rid = response.json()["id"]
    client.force_login(city.officer)
    assert post(client, f"/repairs/{rid}/decide", {"outcome": "upheld", "note": "准予"}).status_code == 200
    assert post(client, f"/repairs/{rid}/decide", {"outcome": "upheld", "note": "准予"}).status_code == 409
    public = client.get(f"{API}/public/records?kind=penalty").json()["items"]
    assert public == []


def test_commitments_are_registered_marked_and_listed_through_the_api(city, client):
    client.force_login(city.officer)
    response = post(client, "/commitments", {"code": uscc(8), "subject_name": "榆林市建设有限公司", "kind": "industry",
                                             "text": "承诺按时支付工资", "department": "610800-YJ"})
    assert response.status_code == 201, response.content
    cid = response.json()["id"]
    assert post(client, "/commitments", {"code": uscc(8), "kind": "industry", "text": "x",
                                         "department": "nope"}).status_code == 404
    marked = post(client, f"/commitments/{cid}/mark", {"outcome": "breached", "reason": "拖欠工资"})
    assert marked.status_code == 200 and marked.json()["breach_record_id"]
    assert post(client, f"/commitments/{cid}/mark", {"outcome": "fulfilled"}).status_code == 409
    assert [c["id"] for c in client.get(f"{API}/commitments?status=breached").json()] == [cid]
    client.force_login(city.reviewer)
    assert post(client, f"/commitments/{cid}/mark", {"outcome": "fulfilled"}).status_code == 403
    client.logout()
    assert client.get(f"{API}/commitments").status_code == 401


def test_evidence_of_the_wrong_type_is_a_400_with_the_upload_code(city, firm, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(firm["user"])
    oid = post(client, "/objections", {"target_kind": "penalty", "target_id": firm["penalty"].pk, "reason": "有误"}).json()["id"]
    fake = SimpleUploadedFile("x.pdf", b"not a pdf at all", content_type="application/pdf")
    response = client.post(f"{API}/objections/{oid}/evidence", {"files": [fake]})
    assert response.status_code == 400 and response.json()["code"] == "upload.bad_type"


def test_the_public_api_marks_a_record_under_objection(city, firm, client):
    client.force_login(firm["user"])
    assert post(client, "/objections", {"target_kind": "penalty", "target_id": firm["penalty"].pk,
                                        "reason": "处罚对象有误"}).status_code == 201
    client.logout()
    items = client.get(f"{API}/public/records?kind=penalty").json()["items"]
    assert [(i["id"], i["disputed"]) for i in items] == [(firm["penalty"].pk, True)]
    detail = client.get(f"{API}/public/records/penalty/{firm['penalty'].pk}").json()
    assert detail["disputed"] is True
