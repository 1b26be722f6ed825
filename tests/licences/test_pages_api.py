"""Wallet pages and API: list mine, detail, PDF, revoke (staff, audited); public verification shows no full ID."""

import pytest
from django.db import transaction

from tests.cases.conftest import PERSON_ID, person
from tests.cases.factories_issuance import issued_case
from tests.factories import UserFactory
from tests.helpers import assert_max_queries
from yingshang.kernel.models import AuditEntry
from yingshang.kernel.protect import id_digest, mask_resident_id
from yingshang.licences.models import ELicense

pytestmark = pytest.mark.usefixtures("official_calendar", "files")


@pytest.fixture
def citizen(db):
    return UserFactory(username="zhangwei", real_name="张伟", citizen=True, id_number_digest=id_digest(PERSON_ID),
                       id_number_masked=mask_resident_id(PERSON_ID))


@pytest.fixture
def licence(city, food):
    issued_case(city, food, applicant=person())
    return ELicense.objects.get()


def test_the_holder_lists_opens_and_downloads_their_licence(client, citizen, licence):
    client.force_login(citizen)
    with assert_max_queries(8):
        page = client.get("/licences/").content.decode()
    assert licence.number in page
    detail = client.get(f"/licences/{licence.pk}/").content.decode()
    assert mask_resident_id(PERSON_ID) in detail and PERSON_ID not in detail and "/verify/" in detail
    pdf = client.get(f"/licences/{licence.pk}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    api = client.get("/api/v1/licences").json()
    assert [x["number"] for x in api] == [licence.number] and api[0]["status"] == "valid"
    assert api[0]["case_no"] and api[0]["verification_url"].endswith("/")
    assert client.get(f"/api/v1/licences/{licence.pk}").json()["holder_id_masked"] == mask_resident_id(PERSON_ID)


def test_others_cannot_see_a_licence(client, licence):
    stranger = UserFactory(citizen=True, id_number_digest=id_digest("61080219850615002X"))
    client.force_login(stranger)
    assert client.get(f"/licences/{licence.pk}/").status_code == 404
    assert client.get(f"/licences/{licence.pk}/pdf/").status_code == 404
    response = client.get(f"/api/v1/licences/{licence.pk}")
    assert response.status_code == 404 and response.json()["code"] == "licence.not_found"
    client.force_login(UserFactory(clerk=True))
    assert client.get("/api/v1/licences").status_code == 403


def test_public_verification_masks_the_holder_and_never_shows_the_id(client, licence):
    page = client.get(f"/verify/{licence.document.verification_code}/").content.decode()
    assert licence.number in page and "张伟" not in page and PERSON_ID not in page


def test_staff_revoke_with_a_reason_and_the_licence_shows_revoked(client, city, citizen, licence):
    client.force_login(city.head_scjg)
    url = f"/api/v1/licences/{licence.pk}/revoke"
    assert client.post(url, {"reason": ""}, content_type="application/json").json()["code"] == "licence.reason_required"
    response = client.post(url, {"reason": "以欺骗手段取得许可"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "revoked"
    assert client.post(url, {"reason": "x"}, content_type="application/json").status_code == 409
    assert AuditEntry.objects.filter(action="licences.elicense.revoke").count() == 1
    assert "该文书已作废" in client.get(f"/verify/{licence.document.verification_code}/").content.decode()
    client.force_login(citizen)
    assert client.get("/api/v1/licences").json() == []
    assert client.get("/api/v1/licences?include_invalid=true").json()[0]["status"] == "revoked"
    assert "已注销" in client.get("/licences/").content.decode()
    client.force_login(UserFactory(citizen=True))
    assert client.post(url, {"reason": "x"}, content_type="application/json").status_code == 403


def test_the_revoke_form_on_the_detail_page(client, city, licence):
    client.force_login(city.head_scjg)
    assert "注销电子证照" in client.get(f"/licences/{licence.pk}/").content.decode()
    with transaction.atomic():
        client.post(f"/licences/{licence.pk}/revoke/", {"reason": "证照信息有误"})
    licence.refresh_from_db()
    assert licence.status == "revoked" and licence.revoke_reason == "证照信息有误"
