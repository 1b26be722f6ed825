"""Online application: drafts with form data, submitting with one clear list of what is missing
(容缺 materials may be left for the window), e-licences as materials, and the application pages."""

from __future__ import annotations

import pytest
from django.db import transaction

from tests.cases.factories_apply import (
    BUSINESS_LICENCE,
    EXPIRED_LICENCE,
    FOOD_LICENCE,
    citizen,
    complete_draft,
    enterprise,
    exe,
    licence_installer,
    make_online_item,
    mids,
    new_draft,
    pdf,
    update,
)
from yingshang.cases.models import ApplicationForm, Case, SubmittedMaterial
from yingshang.cases.services import applications, library, online
from yingshang.kernel.errors import Conflict, InvalidInput, NotFound

BASE = "/api/v1/cases"


@pytest.fixture
def online_item(city):
    return make_online_item(city)


@pytest.fixture
def fake_licences(monkeypatch):
    return licence_installer(monkeypatch)


def submit(user, case):
    with transaction.atomic():
        return applications.do_submit(user, case.pk, case.row_version)


# --- Form data and submission -------------------------------------------------------------------------
def test_form_data_is_saved_on_the_draft_and_validated(city, online_item):
    user = citizen()
    case = update(user, new_draft(user, online_item), form={"contact_phone": "138 0013 8001", "address": "榆阳区新建路 1 号"})
    assert online.form_data(case) == {"contact_name": "", "contact_phone": "13800138001", "address": "榆阳区新建路 1 号",
                                      "description": ""}
    with pytest.raises(InvalidInput) as caught:
        update(user, case, form={"contact_phone": "12345"})
    assert caught.value.code == "case.phone_invalid"
    with pytest.raises(InvalidInput) as caught:
        update(user, case, form={"favourite_colour": "蓝"})
    assert caught.value.code == "case.form_unknown"
    assert ApplicationForm.objects.get(case=case).data["address"] == "榆阳区新建路 1 号"


def test_submit_is_refused_with_one_list_of_every_missing_required_material(city, online_item):
    user = citizen()
    ids = mids(online_item)
    case = update(user, new_draft(user, online_item), uploads={ids["其他说明"]: pdf()})
    with pytest.raises(InvalidInput) as caught:
        submit(user, case)
    error = caught.value
    assert error.code == "case.materials_missing"
    assert error.details["names"] == ["变更登记申请书", "营业执照"]  # 经营场所使用证明 may be pending (容缺)
    assert "经营场所使用证明" not in error.message and Case.objects.get(pk=case.pk).status == "draft"


def test_a_complete_draft_is_submitted_and_numbered_leaving_pending_allowed_materials_to_the_window(city, online_item):
    user = citizen()
    case = submit(user, complete_draft(user, online_item))
    assert case.status == "submitted" and case.case_no.startswith("SL") and case.channel == "online"
    site = SubmittedMaterial.objects.get(case=case, name="经营场所使用证明")
    assert site.status == "missing" and site.pending_allowed


def test_an_applicant_cannot_skip_the_check_by_creating_submitted(city, online_item):
    user = citizen()
    with pytest.raises(InvalidInput) as caught, transaction.atomic():
        applications.do_create_application(user, online_item.item.code, submit=True)
    assert caught.value.code == "case.no_materials"


def test_enterprise_accounts_apply_as_their_enterprise(city, online_item):
    user = enterprise()
    case = submit(user, complete_draft(user, online_item))
    assert (case.applicant_kind, case.applicant_name, case.uscc) == ("enterprise", "榆林市恒泰能源科技有限公司", user.uscc)


# --- E-licences -----------------------------------------------------------------------------------
def test_an_e_licence_satisfies_a_material_and_is_recorded(city, online_item, fake_licences):
    user = enterprise()
    fake_licences(user)
    ids = mids(online_item)
    case = update(user, new_draft(user, online_item), licences={ids["营业执照"]: "7"})
    row = SubmittedMaterial.objects.get(case=case, material_id=ids["营业执照"])
    assert (row.status, row.source, row.elicense_id, row.elicense_number, row.file) == (
        "provided", "elicense", "7", BUSINESS_LICENCE.number, None)
    case = update(user, case, uploads={ids["变更登记申请书"]: pdf()})
    assert submit(user, case).status == "submitted"


@pytest.mark.parametrize(("material", "licence", "code"), [
    ("营业执照", FOOD_LICENCE.id, "case.licence_type"),  # another kind of licence
    ("营业执照", EXPIRED_LICENCE.id, "case.licence_invalid"),
    ("营业执照", 999, "licence.not_found"),  # not the applicant's
    ("变更登记申请书", BUSINESS_LICENCE.id, "case.licence_not_allowed"),  # the catalog allows no e-licence here
])
def test_an_e_licence_must_be_the_applicants_valid_and_of_the_right_kind(city, online_item, fake_licences,
                                                                         material, licence, code):
    user = enterprise()
    fake_licences(user)
    case = new_draft(user, online_item)
    with pytest.raises((InvalidInput, Conflict, NotFound)) as caught:
        update(user, case, licences={mids(online_item)[material]: str(licence)})
    assert caught.value.code == code


def test_without_the_licences_app_there_are_no_e_licences(city, online_item, monkeypatch):
    monkeypatch.setattr(library, "licence_services", lambda: None)
    user = enterprise()
    assert library.holder_licences(user) == []
    with pytest.raises(NotFound):
        update(user, new_draft(user, online_item), licences={mids(online_item)["营业执照"]: "7"})


def test_the_real_licence_wallet_provides_licences(city, online_item):
    licences = pytest.importorskip("yingshang.licences.services")
    from datetime import date

    from yingshang.kernel.protect import id_digest

    user = enterprise()
    with transaction.atomic():
        lic = licences.do_place_licence(holder_key=id_digest(user.uscc), holder_kind="enterprise", holder_name="恒泰",
                                        holder_id_masked=user.uscc, name="营业执照", number="YS-TEST-0001",
                                        issuer=city.scjg, issued_on=date(2024, 1, 2))
    assert [v.number for v in library.holder_licences(user)] == ["YS-TEST-0001"]
    case = update(user, new_draft(user, online_item), licences={mids(online_item)["营业执照"]: str(lic.pk)})
    assert SubmittedMaterial.objects.get(case=case, name="营业执照").elicense_number == "YS-TEST-0001"


# --- API ---------------------------------------------------------------------------------------------
def test_api_draft_form_licence_and_submit(client, city, online_item, fake_licences):
    user = enterprise()
    fake_licences(user)
    client.force_login(user)
    ids = mids(online_item)
    created = client.post(BASE, {"item_code": online_item.item.code, "submit": False}, content_type="application/json")
    assert created.status_code == 201
    draft_id, rv = created.json()["id"], created.json()["row_version"]
    body = client.put(f"{BASE}/drafts/{draft_id}/form", {"row_version": rv, "form": {"address": "榆阳区"}},
                      content_type="application/json").json()
    assert body["form"]["address"] == "榆阳区" and body["missing"] == ["变更登记申请书", "营业执照"]
    licences = client.get(f"{BASE}/my/licences").json()
    assert [lic["number"] for lic in licences][:1] == [BUSINESS_LICENCE.number]
    body = client.post(f"{BASE}/drafts/{draft_id}/materials/{ids['营业执照']}/licence",
                       {"row_version": body["row_version"], "licence_id": "7"}, content_type="application/json").json()
    assert body["missing"] == ["变更登记申请书"]
    refused = client.post(f"{BASE}/drafts/{draft_id}/submit", {"row_version": body["row_version"]},
                          content_type="application/json")
    assert (refused.status_code, refused.json()["code"]) == (400, "case.materials_missing")
    body = client.post(f"{BASE}/drafts/{draft_id}/files", {"row_version": body["row_version"],
                                                           "material_id": [ids["变更登记申请书"]], "file": [pdf()]}).json()
    cleared = client.post(f"{BASE}/drafts/{draft_id}/materials/{ids['营业执照']}/clear", {"row_version": body["row_version"]},
                          content_type="application/json").json()
    assert cleared["missing"] == ["营业执照"]
    stale = client.post(f"{BASE}/drafts/{draft_id}/materials/{ids['营业执照']}/licence",
                        {"row_version": body["row_version"], "licence_id": "7"}, content_type="application/json")
    assert (stale.status_code, stale.json()["code"]) == (409, "case.conflict")


# --- Pages -------------------------------------------------------------------------------------------
def test_apply_pages_list_online_items_and_link_from_the_guide(client, city, online_item, food):
    client.force_login(citizen())
    page = client.get("/cases/apply/").content.decode()
    assert "企业变更登记" in page and "食品经营许可" in page
    assert client.get("/cases/apply/?q=变更").content.decode().count("/cases/apply/SCJG-") == 1
    guide = client.get(f"/guide/{online_item.item.code}/").content.decode()
    assert f"/cases/apply/{online_item.item.code}/" in guide
    form = client.get(f"/cases/apply/{online_item.item.code}/")
    assert form.status_code == 200 and "变更登记申请书" in form.content.decode() and "enctype=\"multipart/form-data\"" in (
        form.content.decode())
    client.force_login(city.clerk)
    assert client.get("/cases/apply/").status_code == 403


def test_the_form_page_saves_a_draft_then_submits_it(client, city, online_item):
    user = citizen()
    client.force_login(user)
    ids = mids(online_item)
    url = f"/cases/apply/{online_item.item.code}/"
    saved = client.post(url, {"action": "save", "keep": "1", "contact_phone": "13800138001",
                              f"file_{ids['变更登记申请书']}": pdf("申请书.pdf")})
    case = Case.objects.get(applicant=user)
    assert saved.status_code == 302 and saved["Location"] == f"{url}{case.pk}/"
    page = client.get(saved["Location"]).content.decode()
    assert "申请书.pdf" in page and "13800138001" in page
    refused = client.post(saved["Location"], {"action": "submit", "row_version": case.row_version})
    assert refused.status_code == 400 and "营业执照" in refused.content.decode()  # one list of what is missing
    done = client.post(saved["Location"], {"action": "submit", "row_version": case.row_version,
                                           f"library_{ids['营业执照']}": "",
                                           f"file_{ids['营业执照']}": pdf("执照.pdf")})
    case.refresh_from_db()
    assert done.status_code == 302 and case.status == "submitted" and done["Location"] == f"/cases/mine/{case.case_no}/"


def test_a_bad_file_on_the_form_page_creates_nothing_and_says_why(client, city, online_item):
    user = citizen()
    client.force_login(user)
    ids = mids(online_item)
    response = client.post(f"/cases/apply/{online_item.item.code}/", {
        "action": "save", "address": "榆阳区", f"file_{ids['变更登记申请书']}": exe()})
    assert response.status_code == 400 and "PDF、JPG、PNG、OFD" in response.content.decode()
    assert "榆阳区" in response.content.decode()  # what was typed stays
    assert not Case.objects.exists()


def test_someone_elses_draft_page_is_not_found(client, city, online_item):
    case = new_draft(citizen(), online_item)
    client.force_login(citizen("hanmeimei", "韩梅梅", "11010519491231002X"))
    assert client.get(f"/cases/apply/{online_item.item.code}/{case.pk}/").status_code == 404
    assert client.post(f"/cases/apply/{online_item.item.code}/{case.pk}/", {"action": "save"}).status_code == 404
