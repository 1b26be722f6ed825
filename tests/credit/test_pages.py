"""Staff pages: upload with background import and progress, batch detail and corrections download,
the 重错 report, list management, the subject page with an audited reveal, the check page; admin."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.credit.conftest import catalog, licence_rows, resident_id, uscc
from tests.credit.test_lists import designate
from yingshang.credit import sample
from yingshang.credit.models import ImportBatch, LicenseRecord, ListEntry
from yingshang.kernel.models import AuditEntry


def csv_upload(city, tmp_path, rows=None, name="上报.csv"):
    path = sample.write_csv(tmp_path / "u.csv", "license", rows or licence_rows(city.scjg, 3), encoding="gbk")
    return SimpleUploadedFile(name, path.read_bytes(), content_type="text/csv")


def test_an_upload_runs_as_a_job_and_the_batch_page_shows_the_result(city, client, tmp_path,
                                                                      django_capture_on_commit_callbacks):
    client.force_login(city.reviewer)
    rows = licence_rows(city.scjg, 3)
    rows[0]["content"] = ""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/credit/imports/", {"department": "610800-SCJG", "kind": "license",
                                                     "file": csv_upload(city, tmp_path, rows)})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == f"/credit/imports/{batch.pk}/"
    assert batch.status == "succeeded" and batch.accepted == 2 and batch.source == "upload"
    page = client.get(response.url).content.decode()
    assert "许可内容为必填项" in page and "下载纠错文件" in page
    download = client.get(f"/credit/imports/{batch.pk}/corrections.xlsx")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    fragment = client.get(f"/credit/imports/{batch.pk}/progress/").content.decode()
    assert "hx-trigger" not in fragment  # finished: polling stops


def test_the_progress_fragment_polls_while_a_batch_runs(city, client):
    from yingshang.credit.services import imports as batches

    client.force_login(city.reviewer)
    batch = ImportBatch.objects.create(kind="license", source="upload", department=city.scjg, status="running",
                                       created_at=timezone.now())
    batches.write_progress(batch.pk, 15000, 0.25, "reading")
    fragment = client.get(f"/credit/imports/{batch.pk}/progress/").content.decode()
    assert 'hx-trigger="every 2s"' in fragment and "15000" in fragment and "25%" in fragment


def test_a_reviewer_cannot_see_another_departments_batches(city, client, tmp_path):
    from tests.credit.conftest import import_csv

    report = import_csv(tmp_path, "license", city.yj, licence_rows(city.yj, 1))
    client.force_login(city.reviewer)
    assert client.get(f"/credit/imports/{report.batch.pk}/").status_code == 404
    response = client.post("/credit/imports/", {"department": "610800-YJ", "kind": "license",
                                                "file": csv_upload(city, tmp_path)})
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    client.force_login(city.clerk)
    assert client.get("/credit/imports/").status_code == 403


def test_a_failed_upload_can_be_rerun_from_its_page(city, client, tmp_path, django_capture_on_commit_callbacks):
    client.force_login(city.reviewer)
    bad = SimpleUploadedFile("x.csv", "不是模板\n1,2\n".encode(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/credit/imports/", {"department": "610800-SCJG", "kind": "license", "file": bad})
    batch = ImportBatch.objects.get()
    assert batch.status == "failed" and "重新导入" in client.get(f"/credit/imports/{batch.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/credit/imports/{batch.pk}/rerun/")
    batch.refresh_from_db()
    assert batch.status == "failed" and batch.attempts == 2


def test_the_duplicates_page_and_export(city, client, tmp_path):
    from tests.credit.conftest import import_csv

    rows = licence_rows(city.scjg, 1)
    rows[0]["uscc"] = "91610802MA00000000"
    import_csv(tmp_path, "license", city.scjg, rows)
    client.force_login(city.reviewer)
    page = client.get("/credit/quality/duplicates/").content.decode()
    assert "代码错误（1）" in page
    export = client.get("/credit/quality/duplicates.xlsx")
    assert export.status_code == 200 and "spreadsheetml" in export["Content-Type"]


def test_designate_remove_and_history_through_the_pages(city, client):
    c = catalog(city)
    client.force_login(city.officer)
    assert client.get("/credit/lists/designate/").status_code == 200
    response = client.post("/credit/lists/designate/", {
        "code": uscc(1), "subject_name": "某公司", "list_type": c["debtor"].pk, "department": city.xyb.pk,
        "basis": "依据", "document_no": "（2026）陕08执9号", "decided_on": "2026-11-01", "published": "on",
        "attachment": SimpleUploadedFile("决定书.pdf", b"%PDF-1.4 test", content_type="application/pdf")})
    entry = ListEntry.objects.get()
    assert response.status_code == 302 and response.url == f"/credit/lists/{entry.pk}/"
    assert client.get(f"/credit/lists/{entry.pk}/attachment/").status_code == 200
    assert "某公司" in client.get("/credit/lists/").content.decode()
    client.post(f"/credit/lists/{entry.pk}/remove/", {"reason": "repair", "note": "已履行"})
    entry.refresh_from_db()
    page = client.get(f"/credit/lists/{entry.pk}/").content.decode()
    assert entry.status == "removed" and "credit.list.remove" in page and "credit.list.designate" in page
    client.force_login(city.clerk)
    assert client.get("/credit/lists/").status_code == 403


def test_the_subject_page_reveals_a_number_only_on_request_and_records_it(city, client):
    c = catalog(city)
    number = resident_id(9)
    entry = designate(city.officer, c["debtor"], number, name="赵六")
    client.force_login(city.reviewer)
    page = client.get(f"/credit/subjects/{entry.subject_id}/").content.decode()
    assert number not in page and "赵*" in page and "显示完整证件号码" not in page
    client.force_login(city.officer)
    page = client.get(f"/credit/subjects/{entry.subject_id}/").content.decode()
    assert number not in page and "显示完整证件号码" in page
    page = client.post(f"/credit/subjects/{entry.subject_id}/", {"reveal": "1"}).content.decode()
    assert number in page and AuditEntry.objects.filter(action="credit.subject.reveal").count() == 1


def test_the_check_page_shows_hits(city, client):
    c = catalog(city)
    designate(city.officer, c["debtor"], uscc(1), name="失信公司")
    client.force_login(city.clerk)
    page = client.post("/credit/check/", {"code": uscc(1), "scenario": "administrative_licensing"}).content.decode()
    assert "失信公司" in page and "限制取得行政许可" in page
    page = client.post("/credit/check/", {"code": "123", "scenario": ""}).content.decode()
    assert "证件号码无效" in page


def test_navigation_shows_credit_items_by_role(city, client):
    page = client.get("/").content.decode()
    assert "信用公示" in page and "信用核查" not in page
    client.force_login(city.clerk)
    page = client.get("/").content.decode()
    assert "信用核查" in page and "信用名单" not in page
    client.force_login(city.officer)
    page = client.get("/").content.decode()
    assert "信用归集" in page and "信用名单" in page


@pytest.mark.parametrize("url", ["/credit/public/?q=榆", "/credit/public/?page=abc", "/credit/public/?kind=x",
                                 "/credit/public/lists/?list_kind=x&page=999", "/credit/public/license/999/"])
def test_public_pages_answer_bad_queries_without_a_server_error(city, client, url):
    assert client.get(url).status_code in (200, 400, 404)


def test_admin_lists_credit_data_read_only_and_edits_memoranda(city, client, tmp_path):
    from tests.credit.conftest import import_csv
    from tests.factories import UserFactory

    import_csv(tmp_path, "license", city.scjg, licence_rows(city.scjg, 1))
    c = catalog(city)
    admin = UserFactory(username="admin", admin=True)
    client.force_login(admin)
    for model in ("subject", "licenserecord", "penaltyrecord", "importbatch", "listtype", "listentry", "memorandum",
                  "feedback", "otherrecord"):
        assert client.get(f"/admin/credit/{model}/").status_code == 200, model
    record = LicenseRecord.objects.get()
    assert client.get(f"/admin/credit/licenserecord/{record.pk}/change/").status_code == 200
    assert client.get("/admin/credit/licenserecord/add/").status_code == 403
    assert client.get(f"/admin/credit/memorandum/{c['block'].memorandum_id}/change/").status_code == 200
