"""The credit API: JSON batches, check, feedback, lists, public search — permissions, and never a 500."""

import json
from datetime import date

import pytest

from tests.credit.conftest import catalog, licence_rows, resident_id, uscc
from tests.credit.test_lists import designate
from yingshang.credit.models import Feedback, LicenseRecord, ListEntry
from yingshang.kernel.models import AuditEntry

API = "/api/v1/credit"


def post(client, path, body):
    return client.post(API + path, data=json.dumps(body), content_type="application/json")


def test_a_json_batch_is_validated_per_row_and_stored(city, client):
    client.force_login(city.reviewer)
    rows = licence_rows(city.scjg, 3)
    rows[2]["decision_date"] = "2026-02-30"
    response = post(client, "/imports/license", {"department": "610800-SCJG", "rows": rows})
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["accepted"], data["rejected"], data["status"]) == (2, 1, "succeeded")
    assert data["rejected_rows"][0]["row"] == 3 and data["rejected_rows"][0]["field"] == "decision_date"
    again = post(client, "/imports/license", {"department": "610800-SCJG", "rows": rows}).json()
    assert again["unchanged"] == 2 and LicenseRecord.objects.count() == 2
    batch = client.get(f"{API}/imports/{data['batch']}").json()
    assert batch["status"] == "succeeded" and batch["accepted"] == 2


def test_reporting_for_another_department_is_forbidden(city, client):
    client.force_login(city.reviewer)
    response = post(client, "/imports/license", {"department": "610800-YJ", "rows": licence_rows(city.yj, 1)})
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert not LicenseRecord.objects.exists()


@pytest.mark.parametrize("body", [
    {"department": "610800-SCJG", "rows": []},
    {"department": "610800-SCJG", "rows": [{"unknown_field": "x"}]},
    {"department": "610800-SCJG"},
    {"rows": [{}]},
    {"department": "610800-SCJG", "rows": [{"decision_date": {"nested": 1}}]},
])
def test_malformed_batches_are_422_not_500(city, client, body):
    client.force_login(city.reviewer)
    response = post(client, "/imports/license", body)
    assert response.status_code == 422 and response.json()["code"] == "invalid_input"


def test_unknown_department_and_batch_are_404(city, client):
    client.force_login(city.officer)
    assert post(client, "/imports/penalty", {"department": "NOPE", "rows": [{}]}).status_code == 404
    assert client.get(f"{API}/imports/999999").status_code == 404
    assert client.post(API + "/imports/license", data="{not json", content_type="application/json").status_code == 422


def test_staff_endpoints_need_a_sign_in(city, client):
    assert client.get(f"{API}/check", {"code": uscc(1)}).status_code == 401
    assert post(client, "/imports/license", {"department": "610800-SCJG", "rows": [{}]}).status_code == 401


def test_check_by_get_and_post_with_permissions(city, client):
    c = catalog(city)
    designate(city.officer, c["debtor"], uscc(1))
    client.force_login(city.clerk)
    data = client.get(f"{API}/check", {"code": uscc(1), "scenario": "administrative_licensing"}).json()
    assert data["blocking"] is True and data["measures"][0]["action"] == "block"
    data = post(client, "/check", {"code": uscc(9)}).json()
    assert data["hit"] is False
    assert client.get(f"{API}/check", {"code": "bad"}).status_code == 400
    assert client.get(f"{API}/check", {"code": uscc(1), "scenario": "x"}).json()["code"] == "credit.scenario_invalid"
    client.force_login(city.citizen)
    assert client.get(f"{API}/check", {"code": uscc(1)}).status_code == 403


def test_feedback_endpoint_records_a_measure_applied(city, client):
    c = catalog(city)
    designate(city.officer, c["debtor"], uscc(1))
    client.force_login(city.clerk)
    body = {"code": uscc(1), "measure_id": c["block"].pk, "scenario": "administrative_licensing", "reference": "SL1"}
    response = post(client, "/feedback", body)
    assert response.status_code == 201 and response.json()["department"] == "610800-HALL01"
    assert post(client, "/feedback", {**body, "measure_id": c["green"].pk}).status_code == 404
    assert post(client, "/feedback", {**body, "outcome": "maybe"}).status_code == 422
    assert Feedback.objects.count() == 1


def test_designation_and_removal_by_api(city, client):
    c = catalog(city)
    client.force_login(city.officer)
    body = {"code": uscc(1), "subject_name": "某公司", "list_type": "judgment_debtor", "department": "610800-XYB",
            "basis": "依据", "document_no": "（2026）陕08执1号", "decided_on": "2026-11-01"}
    response = post(client, "/lists/designate", body)
    assert response.status_code == 201, response.content
    entry_id = response.json()["id"]
    assert post(client, "/lists/designate", body).status_code == 409
    assert post(client, "/lists/designate", {**body, "list_type": "nope"}).status_code == 404
    assert post(client, f"/lists/{entry_id}/remove", {"reason": "repair", "note": "已修复"}).json()["status"] == "removed"
    assert post(client, f"/lists/{entry_id}/remove", {"reason": "repair", "note": "已修复"}).status_code == 409
    assert post(client, "/lists/999/remove", {"reason": "repair", "note": "x"}).status_code == 404
    client.force_login(city.clerk)
    assert post(client, "/lists/designate", body).status_code == 403
    assert ListEntry.objects.count() == 1 and c


def test_subject_lookup_masks_persons_and_reveals_only_to_authorised_roles_with_an_audit(city, client):
    c = catalog(city)
    number = resident_id(5)
    designate(city.officer, c["debtor"], number, name="李四")
    client.force_login(city.reviewer)
    data = post(client, "/subjects/lookup", {"code": number}).json()
    assert number not in json.dumps(data) and data["name"] == "李*" and data["revealed"] is False
    assert post(client, "/subjects/lookup", {"code": number, "reveal": True}).status_code == 403
    client.force_login(city.officer)
    data = post(client, "/subjects/lookup", {"code": number, "reveal": True}).json()
    assert data["identifier"] == number and data["revealed"] is True and data["name"] == "李四"
    audit = AuditEntry.objects.get(action="credit.subject.reveal")
    assert number not in audit.summary and audit.actor_id == city.officer.pk


def test_public_search_needs_no_sign_in_and_masks_persons(city, client, tmp_path):
    from tests.credit.conftest import import_csv

    rows = licence_rows(city.scjg, 3, person_every=2)
    import_csv(tmp_path, "license", city.scjg, rows)
    response = client.get(f"{API}/public/records", {"kind": "license"})
    assert response.status_code == 200
    items = response.json()["items"]
    assert len(items) == 3
    body = response.content.decode()
    for row in rows:
        if row.get("id_number"):
            assert row["id_number"] not in body and row["subject_name"] not in body
    company = next(r for r in rows if not r.get("id_number"))
    by_code = client.get(f"{API}/public/records", {"kind": "license", "q": company["uscc"]}).json()["items"]
    assert [i["identifier"] for i in by_code] == [company["uscc"]]
    by_name = client.get(f"{API}/public/records", {"kind": "license", "q": company["subject_name"][3:8]}).json()
    assert any(i["identifier"] == company["uscc"] for i in by_name["items"])
    record_id = items[0]["id"]
    assert client.get(f"{API}/public/records/license/{record_id}").status_code == 200
    assert client.get(f"{API}/public/records/penalty/{record_id}").status_code == 404


@pytest.mark.parametrize(("path", "params"), [
    *[(p, q) for p in ("/public/records", "/public/lists") for q in (
        {"q": "榆"}, {"page": "abc"}, {"page": 0}, {"page": 51}, {"q": "91610802ABCDEFGHIJ"}, {"q": "x" * 101})],
    ("/public/records", {"kind": "x"}), ("/public/lists", {"list_kind": "pink"}),
    ("/public/records/x/1", {}), ("/public/records/penalty/99999999", {}),
])
def test_public_endpoints_answer_bad_queries_with_4xx_never_500(city, client, path, params):
    response = client.get(API + path, params)
    assert 400 <= response.status_code < 500, (path, params, response.content)
    assert "code" in response.json()


def test_public_lists_show_published_active_entries(city, client):
    c = catalog(city)
    designate(city.officer, c["debtor"], uscc(1), name="失信公司")
    designate(city.officer, c["watch"], uscc(2), name="关注公司", published=False)
    items = client.get(f"{API}/public/lists").json()["items"]
    assert [i["subject_name"] for i in items] == ["失信公司"]
    assert client.get(f"{API}/public/lists", {"list_kind": "red"}).json()["items"] == []
    assert date.today()


def test_other_credit_records_are_collected_by_document_number(city, client):
    from yingshang.credit.models import OtherRecord

    client.force_login(city.officer)
    row = {"kind": "纳税信用等级", "subject_name": "某公司", "subject_category": "法人及非法人组织", "uscc": uscc(1),
           "title": "2025年度纳税信用等级", "content": "A", "document_no": "榆税信〔2026〕1号", "decision_date": "2026-04-01",
           "authority": "国家税务总局榆林市税务局", "source_unit": "国家税务总局榆林市税务局",
           "source_unit_uscc": city.scjg.uscc}
    data = post(client, "/imports/other", {"department": "610800-XYB", "rows": [row, {**row, "kind": "坏类别"}]}).json()
    assert (data["accepted"], data["rejected"]) == (1, 1) and data["rejected_rows"][0]["field"] == "kind"
    record = OtherRecord.objects.get()
    assert record.kind == "tax_credit_grade" and record.content == "A" and record.subject.id_key == uscc(1)
