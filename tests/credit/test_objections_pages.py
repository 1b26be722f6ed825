"""Pages of objection and repair: the subject's /credit/me/, the forms, a clerk filing on behalf, the
officers' queues (sorted by deadline, no N+1), detail and decision, evidence download, commitments pages."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.credit.factories_objections import enterprise_user, licence, pdf_file, penalty, subject_for, uscc
from tests.helpers import assert_max_queries
from yingshang.credit.models import Commitment, Objection, PenaltyRecord, Repair
from yingshang.credit.services import objections


@pytest.fixture
def firm(city):
    subject = subject_for(uscc(7))
    return {"subject": subject, "user": enterprise_user(uscc(7)), "penalty": penalty(city.scjg, subject, date(2026, 6, 1)),
            "licence": licence(city.scjg, subject)}


def test_my_credit_page_lists_records_with_objection_and_repair_links(city, firm, client):
    client.force_login(firm["user"])
    page = client.get("/credit/me/").content.decode()
    assert firm["penalty"].document_no in page and firm["licence"].document_no in page
    assert f"/credit/me/objections/new/penalty/{firm['penalty'].pk}/" in page
    assert f"/credit/me/repairs/new/penalty/{firm['penalty'].pk}/" in page and "下载我的信用报告" in page
    client.force_login(city.citizen)
    assert "平台暂无您的信用记录" in client.get("/credit/me/").content.decode()


def test_a_subject_files_an_objection_with_evidence_through_the_form(city, firm, client):
    client.force_login(firm["user"])
    url = f"/credit/me/objections/new/penalty/{firm['penalty'].pk}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "罚款金额有误", "evidence": [pdf_file(), pdf_file("说明.pdf")]})
    assert response.status_code == 302 and response.url == "/credit/me/"
    obj = Objection.objects.get()
    assert [e["name"] for e in obj.evidence] == ["缴款凭证.pdf", "说明.pdf"]
    assert "异议中" in client.get("/credit/me/").content.decode()
    again = client.post(url, {"reason": "再提一次"})
    assert again.status_code == 200 and "已有正在办理的异议" in again.content.decode()
    other = enterprise_user(uscc(8), username="other")
    subject_for(uscc(8), "另一家公司")
    client.force_login(other)
    assert client.get(url).status_code == 404


def test_a_subject_applies_for_repair_through_the_form(city, firm, client):
    client.force_login(firm["user"])
    url = f"/credit/me/repairs/new/penalty/{firm['penalty'].pk}/"
    response = client.post(url, {"rectification": "已缴纳罚款", "commitment_text": "承诺", "evidence": [pdf_file()]})
    assert response.status_code == 302 and Repair.objects.get().status == "open"


def test_a_clerk_finds_a_subject_and_files_on_its_behalf(city, firm, client):
    client.force_login(city.clerk)
    response = client.post("/credit/handling/behalf/", {"code": uscc(7)})
    assert response.status_code == 302 and response.url == f"/credit/me/?for={firm['subject'].pk}"
    assert firm["penalty"].document_no in client.get(response.url).content.decode()
    url = f"/credit/me/objections/new/license/{firm['licence'].pk}/?for={firm['subject'].pk}"
    response = client.post(url, {"reason": "许可编号有误", "for": firm["subject"].pk})
    assert response.status_code == 302 and Objection.objects.get().on_behalf
    client.force_login(city.citizen)
    assert client.get(f"/credit/me/?for={firm['subject'].pk}").status_code == 404
    assert client.get("/credit/handling/behalf/").status_code == 403


def test_the_department_queue_is_sorted_by_deadline_without_n_plus_one(city, firm, client, today):
    records = [penalty(city.scjg, firm["subject"]) for _ in range(5)]
    for i, record in enumerate(records):
        today(date(2026, 11, 10 + i))
        objections.do_file(firm["user"], target_kind="penalty", target_id=record.pk, reason="有误")
    today(date(2026, 12, 2))
    client.force_login(city.reviewer)
    with assert_max_queries(12):
        page = client.get("/credit/handling/objections/").content.decode()
    numbers = list(Objection.objects.order_by("deadline").values_list("number", flat=True))
    assert [page.index(n) for n in numbers] == sorted(page.index(n) for n in numbers)
    assert "已超期" in page  # filed 2026-11-10: due 2026-12-01
    assert client.get("/credit/handling/objections/?status=overdue").content.decode().count("已超期") >= 1
    client.force_login(city.reviewer_yj)
    assert numbers[0] not in client.get("/credit/handling/objections/").content.decode()
    client.force_login(city.clerk)
    assert client.get("/credit/handling/objections/").status_code == 403


def test_the_source_department_decides_on_the_detail_page_once(city, firm, client):
    obj = objections.do_file(firm["user"], target_kind="penalty", target_id=firm["penalty"].pk, reason="有误",
                             evidence=[pdf_file()])
    client.force_login(city.reviewer)
    page = client.get(f"/credit/handling/objections/{obj.pk}/").content.decode()
    assert "核实结论" in page and "缴款凭证.pdf" in page
    download = client.get(f"/credit/handling/objection/{obj.pk}/evidence/0/")
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert download["Content-Type"] == "application/pdf"
    response = client.post(f"/credit/handling/objections/{obj.pk}/decide/", {
        "outcome": "upheld", "resolution": "withdrawn", "note": "撤回", "row_version": obj.row_version,
        "target_kind": "penalty"})
    assert response.status_code == 302
    assert PenaltyRecord.objects.get(pk=firm["penalty"].pk).publication_ended_at is not None
    again = client.post(f"/credit/handling/objections/{obj.pk}/decide/", {"outcome": "rejected", "note": "x"}, follow=True)
    assert "不能重复处理" in again.content.decode()
    client.force_login(city.reviewer_yj)
    assert client.get(f"/credit/handling/objections/{obj.pk}/").status_code == 404
    assert client.get(f"/credit/handling/objection/{obj.pk}/evidence/0/").status_code == 404


def test_the_credit_office_decides_a_repair_on_its_page(city, firm, client):
    client.force_login(firm["user"])
    client.post(f"/credit/me/repairs/new/penalty/{firm['penalty'].pk}/",
                {"rectification": "已缴纳", "commitment_text": "承诺", "evidence": [pdf_file()]})
    item = Repair.objects.get()
    client.force_login(city.officer)
    assert item.number in client.get("/credit/handling/repairs/").content.decode()
    response = client.post(f"/credit/handling/repairs/{item.pk}/decide/", {"outcome": "upheld", "note": "准予"})
    assert response.status_code == 302 and Repair.objects.get().status == "upheld"
    assert client.get("/credit/public/?kind=penalty").content.decode().count(firm["penalty"].document_no) == 0


def test_commitment_pages_register_list_and_mark(city, client):
    client.force_login(city.officer)
    response = client.post("/credit/commitments/new/", {"code": uscc(8), "subject_name": "榆林市建设有限公司", "kind": "industry",
                                                       "text": "承诺按时支付工资", "department": city.yj.pk})
    c = Commitment.objects.get()
    assert response.status_code == 302 and response.url == f"/credit/commitments/{c.pk}/"
    with assert_max_queries(10):
        assert c.number in client.get("/credit/commitments/").content.decode()
    client.post(f"/credit/commitments/{c.pk}/", {"outcome": "breached", "reason": "拖欠工资"})
    page = client.get(f"/credit/commitments/{c.pk}/").content.decode()
    assert "已形成失信记录" in page and "credit.commitment.breach" in page
    client.force_login(city.reviewer)
    assert client.get("/credit/commitments/").status_code == 403


def test_too_many_evidence_files_are_refused_before_anything_is_stored(city, firm, client):
    client.force_login(firm["user"])
    url = f"/credit/me/objections/new/penalty/{firm['penalty'].pk}/"
    response = client.post(url, {"reason": "有误", "evidence": [pdf_file(f"{i}.pdf") for i in range(11)]}, follow=True)
    assert "一次最多上传 10 个文件" in response.content.decode() and not Objection.objects.exists()
    word = SimpleUploadedFile("b.doc", b"PK\x03\x04 word", content_type="application/msword")
    bad = client.post(url, {"reason": "有误", "evidence": [pdf_file("a.pdf"), word]})
    assert bad.status_code == 200 and "类型不支持" in bad.content.decode() and not Objection.objects.exists()


def test_the_admin_shows_objections_repairs_and_commitments_read_only(city, firm, client):
    from tests.factories import UserFactory

    obj = objections.do_file(firm["user"], target_kind="penalty", target_id=firm["penalty"].pk, reason="有误")
    client.force_login(UserFactory(username="admin", admin=True))
    for model in ("objection", "repair", "commitment"):
        assert client.get(f"/admin/credit/{model}/").status_code == 200, model
    page = client.get(f"/admin/credit/objection/{obj.pk}/change/")
    assert page.status_code == 200 and firm["subject"].id_display in page.content.decode()
    assert client.get("/admin/credit/objection/add/").status_code == 403


def test_my_credit_page_runs_a_fixed_number_of_queries(city, firm, client):
    for _ in range(6):
        objections.do_file(firm["user"], target_kind="penalty", target_id=penalty(city.scjg, firm["subject"]).pk, reason="x")
    client.force_login(firm["user"])
    client.get("/credit/me/")
    with assert_max_queries(16):
        assert client.get("/credit/me/").status_code == 200
