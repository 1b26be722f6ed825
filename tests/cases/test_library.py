"""The material library (一次提交、重复使用): kept uploads, reuse in another application without a new
upload, suggestions by material name, deletion, pages, API, and who may download a file."""

from __future__ import annotations

import pytest
from django.db import transaction

from tests.cases.conftest import publish
from tests.cases.factories_apply import (
    PDF,
    change_registration,
    citizen,
    complete_draft,
    make_online_item,
    mids,
    new_draft,
    pdf,
    update,
)
from yingshang.cases.models import LibraryEntry, SubmittedMaterial
from yingshang.cases.services import applications, library
from yingshang.kernel.errors import InvalidInput, NotFound
from yingshang.kernel.models import StoredFile

BASE = "/api/v1/cases"


@pytest.fixture
def online_item(city):
    return make_online_item(city)


@pytest.fixture
def second_item(city):
    return publish("SCJG-BG-002", change_registration(name="企业备案"), city.scjg)


def test_a_kept_file_is_reused_by_another_application_without_a_new_upload(city, online_item, second_item):
    user = citizen()
    first = complete_draft(user, online_item)
    kept = LibraryEntry.objects.get(owner=user, material_name="营业执照")
    files_before = StoredFile.objects.count()
    ids = mids(second_item)
    other = update(user, new_draft(user, second_item), library={ids["营业执照"]: kept.pk})
    row = SubmittedMaterial.objects.get(case=other, material_id=ids["营业执照"])
    assert (row.status, row.source, row.file_id) == ("provided", "library", kept.file_id)
    assert StoredFile.objects.count() == files_before
    assert SubmittedMaterial.objects.get(case=first, name="营业执照").file_id == kept.file_id
    kept.refresh_from_db()
    assert kept.last_used_at is not None


def test_suggestions_match_the_material_name(city, online_item):
    user = citizen()
    complete_draft(user, online_item)
    stock = list(library.entries(user))
    assert [e.material_name for e in library.suggest(stock, "营业执照")] == ["营业执照"]
    assert [e.material_name for e in library.suggest(stock, "营业执照（副本）")] == ["营业执照"]
    assert library.suggest(stock, "身份证") == []


def test_library_reuse_is_limited_to_materials_the_catalog_allows_and_to_ones_own_entries(city, online_item):
    user, other = citizen(), citizen("hanmeimei", "韩梅梅", "11010519491231002X")
    complete_draft(user, online_item)
    entry = LibraryEntry.objects.filter(owner=user).first()
    ids = mids(online_item)
    with pytest.raises(InvalidInput) as caught:
        update(user, new_draft(user, online_item), library={ids["变更登记申请书"]: entry.pk})
    assert caught.value.code == "case.library_not_allowed"
    with pytest.raises(NotFound) as caught:
        update(other, new_draft(other, online_item), library={ids["营业执照"]: entry.pk})
    assert caught.value.code == "case.library_not_found"


def test_deleting_an_entry_keeps_files_that_applications_use_and_deletes_unused_ones(city, online_item):
    user = citizen()
    case = complete_draft(user, online_item)
    with transaction.atomic():
        applications.do_submit(user, case.pk, case.row_version)
    used = LibraryEntry.objects.get(owner=user, material_name="营业执照")
    with transaction.atomic():
        unused = library.do_add(user, pdf("旧证明.pdf"), "经营场所使用证明")
    with transaction.atomic():
        library.do_delete_entry(user, used.pk)
        library.do_delete_entry(user, unused.pk)
    assert StoredFile.objects.filter(pk=used.file_id).exists()
    assert not StoredFile.objects.filter(pk=unused.file_id).exists()
    with pytest.raises(NotFound):
        library.do_delete_entry(user, used.pk)


def test_library_page_adds_lists_and_deletes(client, city):
    user = citizen()
    client.force_login(user)
    added = client.post("/cases/library/", {"material_name": "营业执照", "file": pdf("执照.pdf")})
    assert added.status_code == 302
    page = client.get("/cases/library/").content.decode()
    assert "营业执照" in page and "执照.pdf" in page
    refused = client.post("/cases/library/", {"material_name": "营业执照", "file": pdf("a.pdf", b"MZ\x90\x00")})
    assert refused.status_code == 400 and "PDF、JPG、PNG、OFD" in refused.content.decode()
    entry = LibraryEntry.objects.get(owner=user)
    client.force_login(citizen("hanmeimei", "韩梅梅", "11010519491231002X"))
    client.post(f"/cases/library/{entry.pk}/delete/")
    assert LibraryEntry.objects.filter(pk=entry.pk).exists()  # not theirs
    client.force_login(user)
    assert client.post(f"/cases/library/{entry.pk}/delete/").status_code == 302
    assert not LibraryEntry.objects.exists() and not StoredFile.objects.exists()


def test_library_api_lists_and_deletes_own_entries_only(client, city, online_item):
    user = citizen()
    complete_draft(user, online_item)
    client.force_login(user)
    listed = client.get(f"{BASE}/my/library").json()
    assert {e["material_name"] for e in listed} == {"变更登记申请书", "营业执照"}
    assert listed[0]["file"]["sha256"] and listed[0]["file"]["download_url"].startswith("/cases/files/")
    client.force_login(citizen("hanmeimei", "韩梅梅", "11010519491231002X"))
    assert client.get(f"{BASE}/my/library").json() == []
    response = client.delete(f"{BASE}/my/library/{listed[0]['id']}")
    assert (response.status_code, response.json()["code"]) == (404, "case.library_not_found")
    client.force_login(user)
    assert client.delete(f"{BASE}/my/library/{listed[0]['id']}").status_code == 204
    assert LibraryEntry.objects.count() == 1


def test_downloads_are_for_the_owner_and_staff_who_may_view_the_submitted_case(client, city, online_item):
    user = citizen()
    case = complete_draft(user, online_item)
    file_id = SubmittedMaterial.objects.get(case=case, name="营业执照").file_id
    url = f"/cases/files/{file_id}/"
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200 and response.content == PDF
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7.pdf"
    assert (response["Content-Type"], response["X-Content-Type-Options"]) == ("application/pdf", "nosniff")
    client.force_login(city.clerk)
    assert client.get(url).status_code == 404  # a draft is the applicant's alone
    with transaction.atomic():
        applications.do_submit(user, case.pk, case.row_version)
    for staff, status in ((city.clerk, 200), (city.reviewer_scjg, 200), (city.reviewer_wj, 404)):
        client.force_login(staff)
        assert client.get(url).status_code == status, staff
    client.force_login(citizen("hanmeimei", "韩梅梅", "11010519491231002X"))
    assert client.get(url).status_code == 404
    assert client.get("/cases/files/999999/").status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
