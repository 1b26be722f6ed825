"""Back-office maintenance: pages load for catalog managers only; publish/retire through the services; Excel."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.catalog.conftest import create_and_publish, food_licence
from tests.factories import UserFactory
from yingshang.catalog.choices import Status
from yingshang.catalog.models import ServiceItem, ServiceItemVersion
from yingshang.kernel.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, city):
    client.force_login(UserFactory(admin=True, username="root", department=city["city"]))
    return client


@pytest.fixture
def published(city):
    return create_and_publish("610800-XK-0001", food_licence(), city["SCJG"])


@pytest.mark.parametrize("url", ["/admin/catalog/serviceitem/", "/admin/catalog/serviceitem/add/",
                                 "/admin/catalog/serviceitemversion/", "/admin/catalog/serviceitem/import/"])
def test_admin_pages_load(admin_client, published, url):
    assert admin_client.get(url).status_code == 200


@pytest.mark.parametrize("query", ["type=administrative_license", "kind=committed", "state=in_force", "state=draft",
                                   "state=not_in_force", "q=食品", "level__exact=city"])
def test_item_list_filters_and_search(admin_client, published, query):
    response = admin_client.get(f"/admin/catalog/serviceitem/?{query}")
    assert response.status_code == 200


def test_version_list_filters(admin_client, published):
    for query in ("item_type__exact=administrative_license", "kind__exact=committed", "status__exact=published", "q=食品"):
        assert admin_client.get(f"/admin/catalog/serviceitemversion/?{query}").status_code == 200


def test_other_staff_cannot_see_the_catalog_admin(client, city, published):
    client.force_login(UserFactory(clerk=True, is_staff=True))
    assert client.get("/admin/catalog/serviceitem/").status_code == 403
    assert client.get("/admin/catalog/serviceitem/import/").status_code == 403


def test_a_published_version_is_read_only_in_the_admin(admin_client, published):
    page = admin_client.get(f"/admin/catalog/serviceitemversion/{published.pk}/change/").content.decode()
    assert 'name="name"' not in page and "食品经营许可" in page
    admin_client.post(f"/admin/catalog/serviceitemversion/{published.pk}/change/", {"name": "改名"})
    published.refresh_from_db()
    assert published.name == "食品经营许可"


def test_adding_an_item_creates_its_first_draft(admin_client, city):
    response = admin_client.post("/admin/catalog/serviceitem/add/", {
        "code": "610800-xk-0009", "level": "city", "department": city["SCJG"].pk, "name": "食品生产许可",
        "item_type": "administrative_license", "versions-TOTAL_FORMS": 0, "versions-INITIAL_FORMS": 0})
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = ServiceItemVersion.objects.get(item__code="610800-XK-0009")
    assert (draft.number, draft.status, draft.name) == (1, Status.DRAFT, "食品生产许可")


def test_adding_refuses_a_department_of_another_level(admin_client, city):
    response = admin_client.post("/admin/catalog/serviceitem/add/", {
        "code": "610800-XK-0009", "level": "city", "department": city["Y-SCJG"].pk, "name": "x",
        "item_type": "administrative_license", "versions-TOTAL_FORMS": 0, "versions-INITIAL_FORMS": 0})
    assert response.status_code == 200 and "不是市级部门" in response.content.decode()
    assert not ServiceItem.objects.exists()


def test_new_draft_then_publish_through_the_actions(admin_client, published):
    admin_client.post("/admin/catalog/serviceitem/", {"action": "new_drafts", "_selected_action": [published.item_id]})
    draft = ServiceItemVersion.objects.get(status=Status.DRAFT)
    page = admin_client.get(f"/admin/catalog/serviceitemversion/{draft.pk}/change/").content.decode()
    assert "符合全部规则" in page
    form = admin_client.post("/admin/catalog/serviceitemversion/", {"action": "publish_versions", "_selected_action": [draft.pk]})
    assert form.status_code == 200 and "生效日期" in form.content.decode()
    admin_client.post("/admin/catalog/serviceitemversion/", {
        "action": "publish_versions", "_selected_action": [draft.pk], "apply": "1",
        "valid_from": timezone.localdate().isoformat()})
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    assert AuditEntry.objects.filter(action="catalog.version.publish", object_id=str(draft.pk)).exists()


def test_publishing_a_broken_draft_shows_each_problem(admin_client, published):
    from django.db import transaction

    from yingshang.catalog import services

    with transaction.atomic():
        draft = services.do_create_draft(published.item)
    ServiceItemVersion.objects.filter(pk=draft.pk).update(committed_limit_days=40)
    response = admin_client.post("/admin/catalog/serviceitemversion/", {
        "action": "publish_versions", "_selected_action": [draft.pk], "apply": "1",
        "valid_from": timezone.localdate().isoformat()}, follow=True)
    text = response.content.decode()
    assert "承诺时限（40 个工作日）不能超过法定时限" in text
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_retire_action_asks_for_date_and_reason(admin_client, published):
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    admin_client.post("/admin/catalog/serviceitemversion/", {
        "action": "retire_versions", "_selected_action": [published.pk], "apply": "1",
        "on_date": tomorrow.isoformat(), "reason": "事项取消"})
    published.refresh_from_db()
    assert published.status == Status.RETIRED and published.retire_reason == "事项取消"


def test_editing_a_draft_in_the_admin_is_audited(admin_client, published):
    from django.db import transaction

    from yingshang.catalog import services

    with transaction.atomic():
        draft = services.do_create_draft(published.item)
    page = admin_client.get(f"/admin/catalog/serviceitemversion/{draft.pk}/change/")
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k not in ("halls", "channels", "applicant_kinds")}
    data |= {"name": "食品经营许可（修订）", "halls": [h.pk for h in draft.halls.all()], "channels": ["window", "online"],
             "applicant_kinds": ["legal_person"]}
    for prefix in (f.formset.prefix for f in page.context["inline_admin_formsets"]):
        data[f"{prefix}-TOTAL_FORMS"] = 0
        data[f"{prefix}-INITIAL_FORMS"] = 0
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    response = admin_client.post(f"/admin/catalog/serviceitemversion/{draft.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    draft.refresh_from_db()
    assert draft.name == "食品经营许可（修订）"
    assert AuditEntry.objects.filter(action="catalog.version.update_draft", object_id=str(draft.pk)).exists()


def test_export_download_and_import_upload(admin_client, published):
    response = admin_client.get("/admin/catalog/serviceitem/export/")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert load_workbook(io.BytesIO(response.content))["事项"].max_row == 2
    upload = io.BytesIO(response.content)
    upload.name = "catalog.xlsx"
    result = admin_client.post("/admin/catalog/serviceitem/import/", {"file": upload}, follow=True)
    assert "未变化 1" in result.content.decode()


def test_import_upload_lists_every_error(admin_client, published):
    response = admin_client.get("/admin/catalog/serviceitem/export/")
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb["事项"]
    col = [c.value for c in ws[1]].index("承诺时限（工作日）") + 1
    ws.cell(row=2, column=col, value=99)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "bad.xlsx"
    text = admin_client.post("/admin/catalog/serviceitem/import/", {"file": buf}).content.decode()
    assert "未导入任何数据" in text and "承诺时限（工作日）" in text


def test_export_action_on_selected_items(admin_client, published):
    response = admin_client.post("/admin/catalog/serviceitem/", {"action": "export_selected",
                                                                 "_selected_action": [published.item_id]})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_saving_a_published_version_is_refused_not_an_error(admin_client, published):
    response = admin_client.post(f"/admin/catalog/serviceitemversion/{published.pk}/change/", {"name": "改名"})
    assert response.status_code == 403
    published.refresh_from_db()
    assert published.name == "食品经营许可"


def test_items_cannot_be_deleted_in_the_admin(admin_client, published):
    response = admin_client.post(f"/admin/catalog/serviceitem/{published.item_id}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert ServiceItem.objects.count() == 1
