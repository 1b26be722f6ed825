import hashlib
import io
import re
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from pypdf import PdfReader

from tests.factories import DepartmentFactory
from yingshang.kernel.errors import Conflict, InvalidInput, NotFound
from yingshang.kernel.models import AuditEntry, IssuedDocument
from yingshang.kernel.services import documents
from yingshang.kernel.services.audit import verify as verify_audit
from yingshang.kernel.services.documents import (
    CODE_ALPHABET,
    do_issue_document,
    do_revoke_document,
    format_code,
    mask_person_name,
    normalize_code,
    read_document_file,
    verify_document,
)
from yingshang.kernel.services.pdf import qr_png, qr_svg

TITLE = "行政许可受理通知书"


@pytest.fixture
def storage(settings, tmp_path):
    """Issued files go to a fresh directory per test."""
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def issue(capture, **overrides) -> IssuedDocument:
    """Issue a typical notice and run the on-commit file write."""
    kwargs = {
        "body": ["你单位于2026年3月9日提交的食品经营许可申请，申请材料齐全、符合法定形式，本机关决定予以受理。",
                 "请于承诺时限届满后凭本通知书领取决定文书。"],
        "salutation": "榆林市塞上食品有限公司：",
        "fields": {"申请事项": "食品经营许可（新办）", "承诺办结时限": "10个工作日"},
        "holder_name": "榆林市塞上食品有限公司",
        "issuer": DepartmentFactory(name="榆林市行政审批服务局"),
    } | overrides
    kind = kwargs.pop("kind", "notice")
    title = kwargs.pop("title", TITLE)
    with capture(execute=True):
        return do_issue_document(kind, title, **kwargs)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.django_db
class TestIssue:
    def test_pdf_text_reads_back_chinese_title_number_code_and_body(self, storage, django_capture_on_commit_callbacks):
        doc = issue(django_capture_on_commit_callbacks, number="SL2026000123")
        text = pdf_text(read_document_file(doc))
        assert TITLE in text
        assert "SL2026000123" in text
        assert format_code(doc.verification_code) in text
        assert f"http://127.0.0.1:8000/verify/{doc.verification_code}/" in text
        assert "榆林市塞上食品有限公司：" in text
        assert "本机关决定予以受理" in re.sub(r"\s", "", text)
        assert "食品经营许可（新办）" in text and "承诺办结时限" in text
        assert "榆林市行政审批服务局" in text
        today = timezone.localdate()
        assert f"{today.year}年{today.month}月{today.day}日" in text

    def test_pdf_carries_a_qr_code_image_and_metadata(self, storage, django_capture_on_commit_callbacks):
        doc = issue(django_capture_on_commit_callbacks)
        reader = PdfReader(io.BytesIO(read_document_file(doc)))
        assert len(reader.pages[0].images) == 1
        assert reader.metadata.title == TITLE
        assert reader.metadata.author == "榆林市行政审批服务局"

    def test_file_is_stored_by_year_and_month_with_its_digest_and_size(self, storage, django_capture_on_commit_callbacks):
        doc = issue(django_capture_on_commit_callbacks)
        local = timezone.localtime(doc.issued_at)
        assert doc.file == f"documents/{local:%Y/%m}/{doc.verification_code}.pdf"
        data = (storage / doc.file).read_bytes()
        assert data.startswith(b"%PDF-")
        assert doc.sha256 == hashlib.sha256(data).hexdigest()
        assert doc.size == len(data)
        assert not list((storage / doc.file).parent.glob(".*.part")), "no temporary file is left behind"

    def test_document_without_a_number_gets_one_from_the_platform_register(self, storage, django_capture_on_commit_callbacks):
        first = issue(django_capture_on_commit_callbacks)
        second = issue(django_capture_on_commit_callbacks)
        year = timezone.localdate().year
        assert (first.number, second.number) == (f"WS{year}000001", f"WS{year}000002")

    def test_verification_codes_are_16_unambiguous_characters_and_distinct(self, storage, django_capture_on_commit_callbacks):
        codes = {issue(django_capture_on_commit_callbacks).verification_code for _ in range(5)}
        assert len(codes) == 5
        for code in codes:
            assert len(code) == 16 and set(code) <= set(CODE_ALPHABET)
        assert not set("01IO") & set(CODE_ALPHABET)

    def test_issuing_records_an_audit_entry_with_the_masked_person(self, storage, django_capture_on_commit_callbacks):
        doc = issue(django_capture_on_commit_callbacks, holder_name="张三丰", holder_is_person=True)
        entry = AuditEntry.objects.get(action="kernel.document.issue")
        assert entry.object_id == str(doc.pk)
        assert doc.verification_code in entry.summary and "张**" in entry.summary
        assert "张三丰" not in entry.summary
        assert verify_audit().ok

    def test_sections_and_multipage_body_put_the_code_in_every_footer(self, storage, django_capture_on_commit_callbacks):
        doc = issue(django_capture_on_commit_callbacks, body=None, sections=[
            ("一、申请事项", ["食品经营许可（新办）。"]),
            ("二、审查意见", ["经审查，申请材料齐全、符合法定形式。" * 8] * 12),
        ])
        reader = PdfReader(io.BytesIO(read_document_file(doc)))
        assert len(reader.pages) >= 2
        for number, page in enumerate(reader.pages, 1):
            text = page.extract_text()
            assert format_code(doc.verification_code) in text
            assert f"第 {number} 页" in text
        assert "二、审查意见" in pdf_text(read_document_file(doc))

    def test_markup_in_the_text_is_printed_literally(self, storage, django_capture_on_commit_callbacks):
        doc = issue(django_capture_on_commit_callbacks, title="<b>通知</b> & 告知", body=["<font size=40>大</font>"])
        text = pdf_text(read_document_file(doc))
        assert "<b>通知</b> & 告知" in text
        assert "<font size=40>大</font>" in text

    @pytest.mark.parametrize(("overrides", "code"), [
        ({"kind": "Notice"}, "invalid_document_kind"),
        ({"title": "  "}, "missing_title"),
        ({"title": "长" * 201}, "title_too_long"),
        ({"body": None, "fields": {}}, "missing_body"),
        ({"body": ["字" * 50_001]}, "body_too_long"),
        ({"body": [1, 2]}, "invalid_body"),
        ({"sections": [("只有标题",)]}, "invalid_sections"),
        ({"fields": [("名称",)]}, "invalid_fields"),
        ({"number": ""}, "missing_number"),
        ({"issuer": "榆林市"}, "invalid_issuer"),
    ])
    def test_bad_input_is_rejected_and_nothing_is_recorded(self, storage, django_capture_on_commit_callbacks,
                                                           overrides, code):
        with pytest.raises(InvalidInput) as err:
            issue(django_capture_on_commit_callbacks, **overrides)
        assert err.value.code == code
        assert err.value.message  # a Chinese message for people
        assert not IssuedDocument.objects.exists()
        assert not list(storage.rglob("*.pdf"))


@pytest.mark.django_db
class TestAllOrNothing:
    def test_rolled_back_issue_leaves_no_record_and_no_file(self, storage, django_capture_on_commit_callbacks):
        with (django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError),
              transaction.atomic()):
            do_issue_document("notice", TITLE, body=["正文"])
            raise RuntimeError("a later step of the caller failed")
        assert callbacks == []
        assert not IssuedDocument.objects.exists()
        assert not list(storage.rglob("*"))

    def test_file_that_cannot_be_written_after_commit_revokes_the_record(self, storage, monkeypatch,
                                                                          django_capture_on_commit_callbacks, caplog):
        def disk_full(name, data):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(documents, "_write", disk_full)
        doc = issue(django_capture_on_commit_callbacks)
        doc.refresh_from_db()
        assert doc.revoked_at is not None
        assert doc.revoke_reason == "文件保存失败，请重新出具"
        assert "could not be stored" in caplog.text
        assert AuditEntry.objects.filter(action="kernel.document.revoke", object_id=str(doc.pk)).exists()


@pytest.mark.django_db(transaction=True)
def test_real_rollback_leaves_no_file_and_commit_writes_it(storage):
    with pytest.raises(RuntimeError), transaction.atomic():
        rolled_back = do_issue_document("notice", TITLE, body=["正文"])
        raise RuntimeError("rollback")
    assert not IssuedDocument.objects.filter(pk=rolled_back.pk).exists()
    assert not list(storage.rglob("*"))
    with transaction.atomic():
        doc = do_issue_document("notice", TITLE, body=["正文"])
        assert not (storage / doc.file).exists(), "the file appears only when the transaction commits"
    assert (storage / doc.file).is_file()


@pytest.mark.django_db
class TestVerifyAndRevoke:
    def test_code_is_found_in_any_case_and_with_dashes_or_spaces(self, storage, django_capture_on_commit_callbacks):
        doc = issue(django_capture_on_commit_callbacks)
        grouped = format_code(doc.verification_code)
        for typed in (doc.verification_code, grouped.lower(), grouped.replace("-", " "), f" {grouped} "):
            assert verify_document(typed) == doc

    @pytest.mark.parametrize("code", ["", "ABCD", "0" * 16, "IIIIOOOO11110000", "A" * 65, "ＡＢＣ", "x' OR 1=1 --"])
    def test_unknown_or_malformed_codes_are_not_found(self, code):
        with pytest.raises(NotFound) as err:
            verify_document(code)
        assert err.value.code == "document_not_found"

    def test_normalize_code_rejects_what_cannot_be_a_code(self):
        assert normalize_code("abcd-efgh-jkmn-pqrs") == "ABCDEFGHJKMNPQRS"
        assert normalize_code("ABCDEFGHJKMNPQR") is None  # 15 characters
        assert normalize_code(None) is None

    def test_revoking_records_reason_time_and_audit(self, storage, django_capture_on_commit_callbacks):
        doc = issue(django_capture_on_commit_callbacks)
        do_revoke_document(doc, "申请人撤回申请")
        doc.refresh_from_db()
        assert doc.is_revoked and doc.revoke_reason == "申请人撤回申请"
        entry = AuditEntry.objects.get(action="kernel.document.revoke")
        assert "申请人撤回申请" in entry.summary

    def test_revoking_twice_is_a_conflict(self, storage, django_capture_on_commit_callbacks):
        doc = issue(django_capture_on_commit_callbacks)
        do_revoke_document(doc, "错误出具")
        with pytest.raises(Conflict) as err:
            do_revoke_document(IssuedDocument.objects.get(pk=doc.pk), "再次作废")
        assert err.value.code == "document_already_revoked"

    def test_revoking_needs_a_reason(self, storage, django_capture_on_commit_callbacks):
        doc = issue(django_capture_on_commit_callbacks)
        with pytest.raises(InvalidInput) as err:
            do_revoke_document(doc, "  ")
        assert err.value.code == "missing_reason"

    def test_tampered_or_missing_file_is_refused(self, storage, django_capture_on_commit_callbacks):
        doc = issue(django_capture_on_commit_callbacks)
        path = Path(default_storage.path(doc.file))
        path.write_bytes(path.read_bytes() + b"\n% an edit appended after issue\n")
        with pytest.raises(Conflict) as err:
            read_document_file(doc)
        assert err.value.code == "document_file_corrupt"
        path.unlink()
        with pytest.raises(NotFound) as err:
            read_document_file(doc)
        assert err.value.code == "document_file_missing"


def test_person_names_keep_only_the_first_character():
    assert mask_person_name("张三") == "张*"
    assert mask_person_name("欧阳娜娜") == "欧***"
    assert mask_person_name("李") == "李*"
    assert mask_person_name("") == ""


def test_qr_helpers_give_png_and_inline_svg():
    assert qr_png("http://127.0.0.1:8000/verify/ABCD/").startswith(b"\x89PNG\r\n\x1a\n")
    svg = qr_svg("http://127.0.0.1:8000/verify/ABCD/")
    assert svg.startswith("<svg") and "<?xml" not in svg

