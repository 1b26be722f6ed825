import hashlib
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import UserFactory
from tests.kernel.test_documents import TITLE, issue, storage  # noqa: F401 (fixture)
from yingshang.kernel.services.documents import do_revoke_document, format_code, read_document_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def doc(storage, django_capture_on_commit_callbacks):  # noqa: F811
    return issue(django_capture_on_commit_callbacks, number="SL2026000123", holder_name="张三丰",
                 holder_is_person=True, salutation="张三丰：")


def url(doc) -> str:
    return f"/verify/{doc.verification_code}/"


class TestVerifyPage:
    def test_valid_document_shows_registered_facts_with_the_person_masked(self, client, doc):
        response = client.get(url(doc))
        page = response.content.decode()
        assert response.status_code == 200
        for text in (TITLE, "SL2026000123", "通知书", "榆林市行政审批服务局", "张**", doc.sha256,
                     format_code(doc.verification_code), "该文书真实有效"):
            assert text in page
        assert "张三丰" not in page
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert "no-cache" in response["Cache-Control"]

    def test_organisation_holder_is_shown_in_full(self, client, storage, django_capture_on_commit_callbacks):  # noqa: F811
        org_doc = issue(django_capture_on_commit_callbacks)
        assert "榆林市塞上食品有限公司" in client.get(url(org_doc)).content.decode()

    def test_code_typed_in_lower_case_with_dashes_redirects_to_the_canonical_address(self, client, doc):
        response = client.get(f"/verify/{format_code(doc.verification_code).lower()}/")
        assert response.status_code == 302
        assert response["Location"] == url(doc)

    def test_unknown_code_is_a_chinese_404_page(self, client, db):
        response = client.get("/verify/ABCDEFGHJKLMNPQR/")
        assert response.status_code == 404
        assert "未找到该核验码对应的文书" in response.content.decode()

    def test_revoked_document_says_so_with_the_reason(self, client, doc):
        do_revoke_document(doc, "申请人撤回申请")
        page = client.get(url(doc)).content.decode()
        assert "该文书已作废" in page and "申请人撤回申请" in page
        assert "该文书真实有效" not in page

    def test_uploaded_original_matches(self, client, doc):
        upload = SimpleUploadedFile("notice.pdf", read_document_file(doc), content_type="application/pdf")
        response = client.post(url(doc), {"file": upload})
        assert response.status_code == 200
        assert "一致：您上传的文件与登记的文件完全相同" in response.content.decode()

    def test_uploaded_altered_copy_does_not_match(self, client, doc):
        altered = read_document_file(doc) + b"\n% edited\n"
        response = client.post(url(doc), {"file": SimpleUploadedFile("n.pdf", altered, content_type="application/pdf")})
        page = response.content.decode()
        assert "不一致" in page
        assert hashlib.sha256(altered).hexdigest() in page

    def test_upload_that_is_not_a_pdf_is_refused(self, client, doc):
        fake = SimpleUploadedFile("n.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
        response = client.post(url(doc), {"file": fake})
        assert response.status_code == 400
        assert "上传的文件不是 PDF 文件" in response.content.decode()

    def test_upload_with_a_foreign_content_type_is_refused(self, client, doc):
        fake = SimpleUploadedFile("n.pdf", read_document_file(doc), content_type="text/html")
        assert client.post(url(doc), {"file": fake}).status_code == 400

    def test_oversized_upload_is_refused_before_it_is_parsed(self, client, doc):
        response = client.post(url(doc), {"file": SimpleUploadedFile("n.pdf", b"%PDF-1.4")},
                               CONTENT_LENGTH=str(20 * 1024 * 1024))
        assert response.status_code == 413
        assert "文件过大" in response.content.decode()

    def test_post_without_a_file_shows_the_form_error(self, client, doc):
        response = client.post(url(doc), {})
        assert response.status_code == 400
        assert 'aria-invalid="true"' in response.content.decode()


class TestDownload:
    def download(self, client, user, doc):
        if user is not None:
            client.force_login(user)
        return client.get(f"/documents/{doc.verification_code}/download/")

    def test_clerk_downloads_the_registered_file(self, client, doc):
        response = self.download(client, UserFactory(clerk=True), doc)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert hashlib.sha256(response.content).hexdigest() == doc.sha256
        assert "SL2026000123.pdf" in response["Content-Disposition"]
        assert response["Cache-Control"].startswith("private")

    def test_anonymous_visitor_is_sent_to_sign_in(self, client, doc):
        response = self.download(client, None, doc)
        assert response.status_code == 302 and "/login/" in response["Location"]

    def test_citizen_may_not_download(self, client, doc):
        assert self.download(client, UserFactory(citizen=True), doc).status_code == 403

    def test_reviewer_of_another_department_may_not_download(self, client, doc):
        assert self.download(client, UserFactory(reviewer=True), doc).status_code == 403

    def test_reviewer_of_the_issuing_department_may_download(self, client, doc):
        user = UserFactory(reviewer=True, department=doc.issuer)
        assert self.download(client, user, doc).status_code == 200

    def test_tampered_file_is_not_served(self, client, doc):
        path = Path(default_storage.path(doc.file))
        path.write_bytes(path.read_bytes() + b"%x")
        response = self.download(client, UserFactory(clerk=True), doc)
        assert response.status_code == 409
        assert "摘要不一致" in response.content.decode()

    def test_unknown_code_is_404(self, client, doc):
        client.force_login(UserFactory(clerk=True))
        assert client.get("/documents/ABCDEFGHJKLMNPQR/download/").status_code == 404


class TestApi:
    def test_verify_returns_the_public_facts(self, client, doc):
        response = client.get(f"/api/v1/documents/verify/{doc.verification_code}")
        assert response.status_code == 200
        body = response.json()
        assert body["title"] == TITLE and body["number"] == "SL2026000123"
        assert body["holder"] == "张**" and body["status"] == "valid"
        assert body["sha256"] == doc.sha256 and body["size"] == doc.size
        assert body["kind"] == "notice" and body["kind_label"] == "通知书"
        assert body["verification_code"] == format_code(doc.verification_code)
        assert body["verify_url"].endswith(url(doc))
        assert body["revoked_at"] is None

    def test_code_with_dashes_works_too(self, client, doc):
        grouped = format_code(doc.verification_code).lower()
        assert client.get(f"/api/v1/documents/verify/{grouped}").status_code == 200

    def test_revoked_document_reports_status_and_reason(self, client, doc):
        do_revoke_document(doc, "错误出具")
        body = client.get(f"/api/v1/documents/verify/{doc.verification_code}").json()
        assert body["status"] == "revoked" and body["revoke_reason"] == "错误出具" and body["revoked_at"]

    @pytest.mark.parametrize("code", ["ABCDEFGHJKLMNPQR", "bad", "%E4%B8%AD" * 10])
    def test_unknown_code_is_a_404_json_error(self, client, db, code):
        response = client.get(f"/api/v1/documents/verify/{code}")
        assert response.status_code == 404
        assert response.json()["code"] == "document_not_found"
        assert response.json()["message"]

    def test_openapi_documents_the_endpoint(self, client, db):
        spec = client.get("/api/v1/openapi.json").json()
        operation = spec["paths"]["/api/v1/documents/verify/{code}"]["get"]
        assert set(operation["responses"]) >= {"200", "404"}
        assert not operation.get("security")



class TestAdmin:
    def test_admin_lists_documents_messages_and_counters_read_only(self, client, doc):
        from yingshang.kernel.models import Message

        admin = UserFactory(admin=True)
        Message.objects.create(channel="sms", recipient=admin, address="13812345678", subject="通知", body="内容",
                               status="failed", error="SmsError")
        client.force_login(admin)
        listing = client.get("/admin/kernel/issueddocument/").content.decode()
        assert TITLE in listing and "张**" in listing and "张三丰" not in listing
        detail = client.get(f"/admin/kernel/issueddocument/{doc.pk}/change/").content.decode()
        assert format_code(doc.verification_code) in detail and url(doc) in detail
        assert 'name="_save"' not in detail, "issued documents cannot be edited by hand"
        messages_page = client.get("/admin/kernel/message/").content.decode()
        assert "138****5678" in messages_page and "13812345678" not in messages_page
        assert client.get("/admin/kernel/serialcounter/").status_code == 200
        assert client.get("/admin/kernel/serialcounter/add/").status_code == 403

    def test_admin_action_queues_failed_messages_again(self, client, db, django_capture_on_commit_callbacks):
        from yingshang.kernel.models import Message

        admin = UserFactory(admin=True)
        failed = Message.objects.create(channel="email", recipient=admin, address="a@example.com", subject="通知",
                                        body="内容", status="failed", error="SMTPError")
        client.force_login(admin)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/admin/kernel/message/", {"action": "resend", "_selected_action": [failed.pk]})
        assert response.status_code == 302
        failed.refresh_from_db()
        assert failed.status == "sent"
