"""Online application: uploading materials to a draft (service and API) — checked by content and size,
all or nothing, only on one's own draft, never a 500."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings

from tests.cases.factories_apply import (
    JPEG,
    PDF,
    citizen,
    complete_draft,
    exe,
    make_online_item,
    mids,
    new_draft,
    ofd,
    pdf,
    update,
)
from yingshang.cases.models import LibraryEntry, SubmittedMaterial
from yingshang.cases.services import applications, online
from yingshang.kernel.errors import Conflict, InvalidInput, NotFound
from yingshang.kernel.models import AuditEntry, StoredFile

BASE = "/api/v1/cases"


@pytest.fixture
def online_item(city):
    return make_online_item(city)


def test_uploads_provide_materials_and_are_kept_in_the_library(city, online_item):
    user = citizen()
    ids = mids(online_item)
    case = new_draft(user, online_item)
    case = update(user, case, uploads={ids["变更登记申请书"]: pdf("../申请书.pdf"),
                                       ids["营业执照"]: SimpleUploadedFile("执照.JPG", JPEG)})
    rows = {m.name: m for m in SubmittedMaterial.objects.filter(case=case).select_related("file")}
    form, licence = rows["变更登记申请书"], rows["营业执照"]
    assert (form.status, form.source, form.file.original_name, form.file.content_type) == (
        "provided", "upload", "申请书.pdf", "application/pdf")
    assert licence.file.content_type == "image/jpeg" and licence.file.original_name == "执照.jpg"
    assert (Path(settings.DATA_DIR) / form.file.path).read_bytes() == PDF
    assert set(LibraryEntry.objects.filter(owner=user).values_list("material_name", flat=True)) == {"变更登记申请书", "营业执照"}
    assert case.row_version == 2  # each save is one change of the case
    assert AuditEntry.objects.filter(action="cases.case.update_application", object_id=str(case.pk)).count() == 1


def test_one_bad_file_rejects_the_whole_request_and_lists_every_problem(city, online_item):
    user = citizen()
    ids = mids(online_item)
    case = new_draft(user, online_item)
    with pytest.raises(InvalidInput) as caught:
        update(user, case, uploads={ids["变更登记申请书"]: pdf(), ids["营业执照"]: exe("营业执照.pdf"),
                                    ids["其他说明"]: SimpleUploadedFile("说明.docx", b"PK\x03\x04not ofd")})
    error = caught.value
    assert error.code == "case.upload_rejected"
    assert "营业执照" in error.message and "其他说明" in error.message and "变更登记申请书" not in error.message
    assert {f["code"] for f in error.details["files"]} == {"upload.bad_type"}
    assert not StoredFile.objects.exists() and not LibraryEntry.objects.exists()
    assert not SubmittedMaterial.objects.filter(case=case, status="provided").exists()


def test_size_limit_and_ofd(city, online_item):
    user = citizen()
    ids = mids(online_item)
    case = new_draft(user, online_item)
    with override_settings(UPLOAD_MAX_BYTES=len(PDF) - 1), pytest.raises(InvalidInput) as caught:
        update(user, case, uploads={ids["变更登记申请书"]: pdf()})
    assert caught.value.details["files"][0]["code"] == "upload.too_large"
    case = update(user, case, uploads={ids["变更登记申请书"]: SimpleUploadedFile("申请书.ofd", ofd())})
    assert SubmittedMaterial.objects.get(case=case, material_id=ids["变更登记申请书"]).file.content_type == "application/ofd"


def test_a_replaced_upload_not_kept_in_the_library_is_deleted(city, online_item):
    user = citizen()
    ids = mids(online_item)
    case = update(user, new_draft(user, online_item), uploads={ids["变更登记申请书"]: pdf("v1.pdf")}, keep=False)
    first = SubmittedMaterial.objects.get(case=case, material_id=ids["变更登记申请书"]).file
    case = update(user, case, uploads={ids["变更登记申请书"]: pdf("v2.pdf")}, keep=False)
    assert not StoredFile.objects.filter(pk=first.pk).exists()
    assert SubmittedMaterial.objects.get(case=case, material_id=ids["变更登记申请书"]).file.original_name == "v2.pdf"


def test_only_the_applicant_edits_their_draft_and_only_while_editable(city, online_item):
    user, other = citizen(), citizen("hanmeimei", "韩梅梅", "11010519491231002X")
    ids = mids(online_item)
    case = new_draft(user, online_item)
    with pytest.raises(NotFound):
        update(other, case, uploads={ids["变更登记申请书"]: pdf()})
    with pytest.raises(Conflict) as caught, transaction.atomic():
        online.do_update(user, case.pk, case.row_version + 5, online.Changes())
    assert caught.value.code == "case.conflict"
    submitted = complete_draft(user, online_item)
    with transaction.atomic():
        submitted = applications.do_submit(user, submitted.pk, submitted.row_version)
    with pytest.raises(Conflict) as caught:
        update(user, submitted, uploads={ids["其他说明"]: pdf()})
    assert caught.value.code == "case.not_editable"


# --- API --------------------------------------------------------------------------------------------
def _upload(client, case, files: dict, row_version=None, **extra):
    data = {"row_version": row_version or case.row_version, "material_id": list(files), "file": list(files.values()), **extra}
    return client.post(f"{BASE}/drafts/{case.pk}/files", data)


def test_api_upload_is_multipart_and_answers_the_application(client, city, online_item):
    user = citizen()
    client.force_login(user)
    ids = mids(online_item)
    case = new_draft(user, online_item)
    response = _upload(client, case, {ids["变更登记申请书"]: pdf(), ids["营业执照"]: pdf("执照.pdf")}, keep_in_library="false")
    assert response.status_code == 200, response.content
    body = response.json()
    provided = {m["name"]: m for m in body["materials"]}
    assert provided["营业执照"]["file"]["name"] == "执照.pdf" and provided["营业执照"]["source"] == "upload"
    assert body["missing"] == [] and body["row_version"] == case.row_version + 1
    assert not LibraryEntry.objects.exists()
    download = client.get(provided["营业执照"]["file"]["download_url"])
    assert download.status_code == 200 and download.content == PDF
    assert download["Content-Disposition"].startswith("attachment") and download["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("case_", ["wrong_type", "too_large", "no_file", "mismatch", "broken", "huge_body"])
def test_api_upload_refuses_bad_input_with_a_code(client, city, online_item, case_):
    user = citizen()
    client.force_login(user)
    ids = mids(online_item)
    case = new_draft(user, online_item)
    mid = ids["变更登记申请书"]
    if case_ == "wrong_type":
        response = _upload(client, case, {mid: exe()})
        assert (response.status_code, response.json()["code"]) == (400, "case.upload_rejected")
    elif case_ == "too_large":
        with override_settings(UPLOAD_MAX_BYTES=10):
            response = _upload(client, case, {mid: pdf()})
        assert response.status_code == 400 and response.json()["details"]["files"][0]["code"] == "upload.too_large"
    elif case_ == "no_file":
        response = client.post(f"{BASE}/drafts/{case.pk}/files", {"row_version": case.row_version, "material_id": [mid]})
        assert (response.status_code, response.json()["code"]) == (422, "invalid_input")
    elif case_ == "mismatch":
        response = client.post(f"{BASE}/drafts/{case.pk}/files",
                               {"row_version": case.row_version, "material_id": [mid, ids["营业执照"]], "file": [pdf()]})
        assert (response.status_code, response.json()["code"]) == (400, "case.upload_mismatch")
    elif case_ == "broken":
        response = client.post(f"{BASE}/drafts/{case.pk}/files", data=b"--xx\r\nContent-Disposition: form-data; name=\"file\"",
                               content_type="multipart/form-data; boundary=")
        assert (response.status_code, response.json()["code"]) == (400, "upload.bad_request")
    else:
        response = client.post(f"{BASE}/drafts/{case.pk}/files", data=b"x", content_type="multipart/form-data; boundary=b",
                               CONTENT_LENGTH=str(10**10))
        assert (response.status_code, response.json()["code"]) == (413, "upload.request_too_large")
    assert "message" in response.json() and not StoredFile.objects.exists()


def test_api_someone_elses_draft_is_not_found_and_staff_may_not_upload(client, city, online_item):
    owner = citizen()
    case = new_draft(owner, online_item)
    mid = mids(online_item)["变更登记申请书"]
    client.force_login(citizen("hanmeimei", "韩梅梅", "11010519491231002X"))
    assert _upload(client, case, {mid: pdf()}).status_code == 404
    assert client.get(f"{BASE}/drafts/{case.pk}").status_code == 404
    assert client.get(f"{BASE}/drafts/{10**15}").status_code == 404
    client.force_login(city.clerk)
    response = _upload(client, case, {mid: pdf()})
    assert (response.status_code, response.json()["code"]) == (403, "case.forbidden")
    client.logout()
    assert _upload(client, case, {mid: pdf()}).status_code == 401
    assert not StoredFile.objects.exists()
