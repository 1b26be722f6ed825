"""Uploads: type by content, size limit, safe names, stored outside the web root with SHA-256, atomic
writes, verified reads, orphan sweep, and the request guard that caps what Django spools."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import RequestFactory, override_settings

from tests.factories import UserFactory
from yingshang.kernel.errors import Conflict, InvalidInput
from yingshang.kernel.models import AuditEntry, StoredFile
from yingshang.kernel.services import uploads

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def ofd_bytes(entry: str = "OFD.xml") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr(entry, "<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'/>")
        archive.writestr("Doc_0/Document.xml", "<ofd:Document/>")
    return buf.getvalue()


def upload(data: bytes, name: str = "材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.mark.parametrize(("data", "name", "content_type", "stored_name"), [
    (PDF, "营业执照.pdf", "application/pdf", "营业执照.pdf"),
    (JPEG, "身份证正面.JPG", "image/jpeg", "身份证正面.jpg"),
    (PNG, "平面图.png", "image/png", "平面图.png"),
    (ofd_bytes(), "电子证照.ofd", "application/ofd", "电子证照.ofd"),
    (PDF, "扫描件.jpg", "application/pdf", "扫描件.pdf"),  # the content decides, the name follows
])
def test_accepted_types_are_recognised_by_their_content(data, name, content_type, stored_name):
    checked = uploads.check_upload(upload(data, name))
    assert (checked.content_type, checked.name, checked.size) == (content_type, stored_name, len(data))


@pytest.mark.parametrize(("data", "name"), [
    (EXE, "申请书.pdf"),  # a renamed executable
    (ofd_bytes("word/document.xml"), "申请书.ofd"),  # a ZIP that is not OFD (a .docx, say)
    (b"PK\x03\x04 broken zip", "x.ofd"),
    (b"just some text", "说明.txt"),
    (b"<html><script>alert(1)</script>", "a.pdf"),
])
def test_other_content_is_refused_whatever_the_name(data, name):
    with pytest.raises(InvalidInput) as caught:
        uploads.check_upload(upload(data, name))
    assert caught.value.code == "upload.bad_type" and "PDF、JPG、PNG、OFD" in caught.value.message


def test_empty_and_oversized_files_are_refused():
    with pytest.raises(InvalidInput) as caught:
        uploads.check_upload(upload(b""))
    assert caught.value.code == "upload.empty"
    with override_settings(UPLOAD_MAX_BYTES=100), pytest.raises(InvalidInput) as caught:
        uploads.check_upload(upload(PDF + b"0" * 100))
    assert caught.value.code == "upload.too_large" and caught.value.details["max_bytes"] == 100


def test_the_default_limit_is_20_mib():
    assert uploads.max_bytes() == getattr(settings, "UPLOAD_MAX_BYTES", 20 * 1024 * 1024) == 20 * 1024 * 1024


@pytest.mark.parametrize(("raw", "expected"), [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("C:\\Users\\张三\\Desktop\\身份证.pdf", "身份证.pdf"),
    ("a\x00b\r\n<script>.exe", "abscript.pdf"),
    ("...", "文件.pdf"),
    ("", "文件.pdf"),
    ("长" * 300 + ".pdf", "长" * 100 + ".pdf"),
])
def test_file_names_are_sanitised(raw, expected):
    assert uploads.safe_name(raw, "pdf") == expected


@pytest.mark.django_db
def test_store_writes_outside_the_web_root_with_its_sha256_and_an_audit_entry():
    user = UserFactory(citizen=True)
    with transaction.atomic():
        stored = uploads.do_store(user, upload(PDF, "../申请书.pdf"))
    path = Path(settings.DATA_DIR) / stored.path
    assert stored.path.startswith("uploads/") and path.read_bytes() == PDF
    assert stored.sha256 == hashlib.sha256(PDF).hexdigest() and stored.size == len(PDF)
    assert (stored.original_name, stored.content_type, stored.owner) == ("申请书.pdf", "application/pdf", user)
    for served in (settings.STATIC_ROOT, settings.MEDIA_ROOT):
        assert Path(served).resolve() not in path.resolve().parents
    assert "." not in path.name and not list(path.parent.glob(".*.part"))  # no extension, no temp left
    assert AuditEntry.objects.filter(action="kernel.file.store", object_id=str(stored.pk)).exists()
    assert uploads.open_stored(stored) == PDF


@pytest.mark.django_db
def test_a_failed_write_leaves_neither_a_row_nor_a_temporary_file(monkeypatch):
    class Broken(SimpleUploadedFile):
        def chunks(self, chunk_size=None):
            yield PDF
            raise OSError("disk full")

    area = Path(settings.DATA_DIR) / "uploads"
    before = set(area.rglob("*"))
    with pytest.raises(OSError), transaction.atomic():
        uploads.do_store(None, Broken("a.pdf", PDF))
    after = set(area.rglob("*"))
    assert not StoredFile.objects.exists()
    assert not [p for p in after - before if p.is_file()]


@pytest.mark.django_db
def test_a_rolled_back_upload_leaves_an_orphan_file_that_the_sweep_removes():
    with pytest.raises(RuntimeError), transaction.atomic():
        orphan = uploads.do_store(None, upload(PNG, "a.png"))
        raise RuntimeError("the rest of the request failed")
    with transaction.atomic():
        kept = uploads.do_store(None, upload(JPEG, "b.jpg"))
    orphan_path = Path(settings.DATA_DIR) / orphan.path
    assert orphan_path.exists() and not StoredFile.objects.filter(path=orphan.path).exists()
    assert uploads.sweep_orphans(grace=timedelta(hours=1))["removed"] == 0  # too recent: may be mid-transaction
    report = uploads.sweep_orphans(grace=timedelta(seconds=-1))
    assert report["removed"] >= 1 and not orphan_path.exists()
    assert uploads.open_stored(kept) == JPEG


@pytest.mark.django_db
def test_a_tampered_file_is_refused_on_read_and_deletion_waits_for_the_commit(django_capture_on_commit_callbacks):
    with transaction.atomic():
        stored = uploads.do_store(None, upload(PDF))
    path = Path(settings.DATA_DIR) / stored.path
    path.write_bytes(PDF.replace(b"1.7", b"1.4"))
    with pytest.raises(Conflict) as caught:
        uploads.open_stored(stored)
    assert caught.value.code == "upload.corrupted"
    pk = stored.pk
    with pytest.raises(RuntimeError), transaction.atomic():
        uploads.do_delete(stored)
        raise RuntimeError("rolled back")
    assert path.exists() and StoredFile.objects.filter(pk=pk).exists()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        uploads.do_delete(StoredFile.objects.get(pk=pk))
        assert path.exists()  # not before the commit
    assert not path.exists()


def _multipart(body_files: dict, **extra):
    return RequestFactory().post("/upload/", data={**body_files, **extra})


def test_the_request_guard_caps_each_file_so_an_oversized_one_fails_the_size_check():
    with override_settings(UPLOAD_MAX_BYTES=1000):
        request = _multipart({"f": upload(PDF + b"x" * 50_000, "big.pdf")})
        assert uploads.guard_request(request) is None
        received = request.FILES["f"]
        assert received.size == 1001  # the rest was never spooled
        with pytest.raises(InvalidInput) as caught:
            uploads.check_upload(received)
        assert caught.value.code == "upload.too_large"


def test_the_request_guard_refuses_a_huge_body_unread_and_a_broken_one_cleanly():
    request = RequestFactory().post("/upload/", data=b"x", content_type="multipart/form-data; boundary=zz")
    request.META["CONTENT_LENGTH"] = str(uploads.request_limit() + 1)
    error = uploads.guard_request(request)
    assert error.code == "upload.request_too_large" and error.status == 413
    broken = RequestFactory().post("/upload/", data=b"--zz\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.pdf\"",
                                   content_type="multipart/form-data; boundary=")
    error = uploads.guard_request(broken)
    assert error is not None and error.code == "upload.bad_request"
    many = _multipart({f"f{i}": upload(PDF, f"{i}.pdf") for i in range(3)})
    assert uploads.guard_request(many, max_files=2).code == "upload.too_many_files"
