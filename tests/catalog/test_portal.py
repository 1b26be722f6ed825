"""The portal home page (门户首页, issue 11 §4): search, the most used items, themes, the public modules."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tests.factories import DepartmentFactory, UserFactory, published_service_item
from tests.helpers import assert_max_queries
from yingshang.catalog import services
from yingshang.catalog.models import Theme

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "yingshang"


@pytest.fixture(autouse=True)
def _no_cached_usage():
    """The item usage is cached for ten minutes; each test starts from its own data."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def dept(db):
    root = DepartmentFactory(city=True)
    return DepartmentFactory(code="610800-SCJG", name="榆林市市场监督管理局", short_name="市市场监管局", parent=root,
                             division_code="610800")


def _item(code: str, name: str, dept):
    return published_service_item(code, dept, name=name, do_online=True, channels=["window", "online"])


def _cases(version, n: int, *, days_ago: int = 1) -> None:
    """`n` cases of the item received `days_ago` days ago (rows only: the portal only counts them)."""
    from yingshang.cases.models import Case

    received = timezone.localdate() - timedelta(days=days_ago)
    start = Case.objects.count()
    Case.objects.bulk_create([
        Case(case_no=f"SL{start + i:010d}", item=version.item, item_version=version, item_name=version.name,
             kind=version.kind, department=version.item.department, applicant_kind="person", applicant_name="张三",
             channel="online", status="submitted", received_on=received, submitted_at=timezone.now())
        for i in range(n)])


def _theme(code, name, audience, items, **fields):
    with transaction.atomic():
        return services.do_save_theme(code, [v.item.code for v in items], name=name, audience=audience, **fields)[0]


def _section(response, key: str):
    sections = response.context["portal"]["hero"] + response.context["portal"]["main"]
    return next((s.data for s in sections if s.key == key), None)


def _positions(text: str, names) -> list[int]:
    return [text.index(f">{name}<") for name in names]


# --- Search -------------------------------------------------------------------------------------------
def test_the_portal_leads_with_a_search_box_that_searches_the_catalog(client, dept):
    _item("610800-XK-0001", "食品经营许可", dept)
    _item("610800-XK-0002", "特种设备使用登记", dept)
    text = client.get("/").content.decode()
    search = text[text.index('class="hero'):]
    assert re.search(r'<form method="get" action="/guide/" class="portal-search" role="search">', search)
    assert 'name="q"' in search and 'type="search"' in search
    assert text.index('id="portal-q"') < text.index('id="most-used-heading"')  # search comes first
    # The form's query is the guide's: it finds the item and only it.
    found = client.get("/guide/", {"q": "食品经营"}).content.decode()
    assert "食品经营许可" in found and "特种设备使用登记" not in found


# --- Most used items --------------------------------------------------------------------------------------
def test_most_used_items_are_ordered_by_their_cases_of_the_last_year(client, dept):
    a = _item("610800-XK-0001", "甲事项", dept)
    b = _item("610800-XK-0002", "乙事项", dept)
    c = _item("610800-XK-0003", "丙事项", dept)
    _cases(b, 3)
    _cases(c, 1)
    _cases(a, 5, days_ago=400)  # older than a year: not counted
    response = client.get("/")
    versions = _section(response, "catalog-most-used")["versions"]
    assert [v.name for v in versions] == ["乙事项", "丙事项", "甲事项"]  # the unused one fills in, in catalog order
    text = response.content.decode()
    first, second, third = _positions(text, ["乙事项", "丙事项", "甲事项"])
    assert first < second < third
    assert f'href="{reverse("catalog:detail", args=[b.item.code])}"' in text


def test_without_any_cases_the_most_used_items_are_the_first_in_catalog_order(client, dept):
    for n in range(10):
        _item(f"610800-XK-{n:04d}", f"事项{n}", dept)
    versions = _section(client.get("/"), "catalog-most-used")["versions"]
    assert [v.item.code for v in versions] == [f"610800-XK-{n:04d}" for n in range(8)]


def test_an_item_no_longer_in_force_is_not_offered_however_often_it_was_used(client, dept):
    used = _item("610800-XK-0001", "已废止事项", dept)
    _item("610800-XK-0002", "现行事项", dept)
    _cases(used, 9)
    with transaction.atomic():
        services.do_retire(used, timezone.localdate(), "测试废止")
    names = [v.name for v in _section(client.get("/"), "catalog-most-used")["versions"]]
    assert names == ["现行事项"]


def test_an_empty_catalog_shows_no_most_used_or_theme_sections(client, dept):
    response = client.get("/")
    assert response.status_code == 200
    keys = [s.key for s in response.context["portal"]["main"]]
    assert keys == []
    assert "热门事项" not in response.content.decode()


# --- Themes ----------------------------------------------------------------------------------------------
def test_themes_are_listed_by_audience_and_each_leads_to_its_items(client, dept):
    setup = _item("610800-QT-0001", "企业设立登记", dept)
    seal = _item("610800-QT-0002", "印章刻制备案", dept)
    marriage = _item("610800-QR-0001", "内地居民婚姻登记", dept)
    _item("610800-XK-0001", "食品经营许可", dept)
    _theme("start-business", "开办企业", "enterprise", [setup, seal], summary="营业执照、印章一次办")
    _theme("marriage-birth", "婚育", "person", [marriage])
    _theme("hidden", "停用主题", "person", [marriage], is_active=False)

    text = client.get("/").content.decode()
    themes = text[text.index('id="themes-heading"'):]
    assert themes.index("个人办事") < themes.index("婚育") < themes.index("企业办事") < themes.index("开办企业")
    assert "停用主题" not in text
    assert "2 个事项" in themes and "营业执照、印章一次办" in themes

    link = "/guide/?theme=start-business"
    assert f'href="{link}"' in themes
    page = client.get(link)
    body = page.content.decode()
    assert page.status_code == 200 and "主题服务：开办企业" in body
    assert "企业设立登记" in body and "印章刻制备案" in body
    assert "内地居民婚姻登记" not in body and "食品经营许可</a>" not in body
    assert '<input type="hidden" name="theme" value="start-business">' in body  # the search stays in the theme
    assert "食品经营许可</a>" not in client.get(link + "&q=食品").content.decode()
    # An inactive or unknown theme filters nothing away (a stale link still shows the guide).
    assert "食品经营许可</a>" in client.get("/guide/?theme=no-such-theme").content.decode()


def test_an_enterprise_sees_the_enterprise_themes_first(client, dept):
    marriage = _item("610800-QR-0001", "内地居民婚姻登记", dept)
    setup = _item("610800-QT-0001", "企业设立登记", dept)
    _theme("marriage-birth", "婚育", "person", [marriage])
    _theme("start-business", "开办企业", "enterprise", [setup])
    client.force_login(UserFactory(enterprise=True))
    text = client.get("/").content.decode()
    assert text.index("开办企业") < text.index("婚育")


def test_a_theme_counts_only_items_in_force(client, dept):
    live = _item("610800-QT-0001", "企业设立登记", dept)
    gone = _item("610800-QT-0002", "印章刻制备案", dept)
    _theme("start-business", "开办企业", "enterprise", [live, gone])
    _theme("empty", "空主题", "person", [gone])
    with transaction.atomic():
        services.do_retire(gone, timezone.localdate(), "测试废止")
    data = _section(client.get("/"), "catalog-themes")
    assert [(t.code, t.n) for _label, rows in data["groups"] for t in rows] == [("start-business", 1)]


def test_saving_a_theme_is_audited_and_unchanged_data_writes_nothing(dept):
    from yingshang.kernel.models import AuditEntry

    item = _item("610800-QT-0001", "企业设立登记", dept)
    theme = _theme("start-business", "开办企业", "enterprise", [item])
    entry = AuditEntry.objects.filter(object_type="catalog.theme").get()
    assert entry.action == "catalog.theme.create" and "610800-QT-0001" in entry.summary
    with transaction.atomic():
        _saved, changed = services.do_save_theme("start-business", ["610800-qt-0001"], name="开办企业",
                                                 audience="enterprise")
    assert not changed and AuditEntry.objects.filter(object_type="catalog.theme").count() == 1
    with transaction.atomic():
        services.do_save_theme("start-business", [], name="开办企业", audience="enterprise")
    assert theme.items.count() == 0
    assert AuditEntry.objects.filter(action="catalog.theme.update").count() == 1


def test_a_theme_naming_unknown_items_or_a_bad_audience_is_refused_in_chinese(dept):
    from yingshang.kernel.errors import InvalidInput

    with pytest.raises(InvalidInput) as unknown:
        services.do_save_theme("start-business", ["NO-SUCH-ITEM"], name="开办企业", audience="enterprise")
    assert unknown.value.code == "catalog.theme_unknown_items" and unknown.value.details == ["NO-SUCH-ITEM"]
    with pytest.raises(InvalidInput) as bad:
        services.do_save_theme("start-business", [], name="开办企业", audience="martians")
    assert bad.value.code == "catalog.invalid_theme" and "服务对象" in bad.value.message
    assert not Theme.objects.exists()


def test_the_admin_maintains_themes_and_audits_the_items_chosen(client, dept):
    from yingshang.kernel.models import AuditEntry

    item = _item("610800-QT-0001", "企业设立登记", dept)
    client.force_login(UserFactory(admin=True))
    response = client.post(reverse("admin:catalog_theme_add"), {
        "code": "start-business", "name": "开办企业", "audience": "enterprise", "summary": "", "sort_order": 1,
        "is_active": "on", "items": [item.item.pk]})
    assert response.status_code == 302, response.content.decode()[:2000]
    theme = Theme.objects.get()
    assert list(theme.items.all()) == [item.item]
    entry = AuditEntry.objects.get(action="catalog.theme.create")
    assert "610800-QT-0001" in entry.summary
    assert client.get(reverse("admin:catalog_theme_changelist")).status_code == 200
    client.force_login(UserFactory(citizen=True, is_staff=True))
    assert client.get(reverse("admin:catalog_theme_changelist")).status_code in (302, 403)


# --- Public modules ---------------------------------------------------------------------------------------
def test_the_modules_usable_without_login_are_linked_with_what_they_do(client, dept):
    text = client.get("/").content.decode()
    public = text[text.index('id="public-heading"'):]
    for url_name in ("catalog:guide", "cases:progress", "supervision:evaluate", "credit:public"):
        assert f'href="{reverse(url_name)}"' in public
    assert "好差评" in public and "凭办件编号" in public
    assert f'action="{reverse("document-verify-lookup")}"' in public  # 证照、文书核验
    assert f'href="{reverse("login")}"' in text


def test_signed_in_staff_keep_their_workbench_and_applicants_get_the_portal_below_their_panels(client, dept):
    _item("610800-XK-0001", "食品经营许可", dept)
    client.force_login(UserFactory(clerk=True))
    staff = client.get("/")
    assert "综合受理工作台" in staff.content.decode() and "portal" not in staff.context
    client.force_login(UserFactory(citizen=True))
    citizen = client.get("/")
    text = citizen.content.decode()
    assert "我的办事" in text and 'id="portal-q"' in text and "热门事项" in text
    assert text.index("我的消息") < text.index("热门事项")


# --- Query count and translation -------------------------------------------------------------------------
# session (anonymous: none stored → 0), city name, item usage, most used items (≤ 2), themes
_ANONYMOUS_PORTAL_QUERIES = 5


def test_the_portal_runs_a_fixed_number_of_queries_whatever_the_data(client, dept):
    versions = [_item(f"610800-XK-{n:04d}", f"事项{n}", dept) for n in range(12)]
    for n, version in enumerate(versions[:6]):
        _cases(version, n + 1)
    for n in range(6):
        _theme(f"theme-{n}", f"主题{n}", "person" if n % 2 else "enterprise", versions[n:n + 4])
    with assert_max_queries(_ANONYMOUS_PORTAL_QUERIES):
        assert client.get("/").status_code == 200
    for n in range(12, 40):
        _cases(_item(f"610800-XK-{n:04d}", f"事项{n}", dept), 2)
    for n in range(6, 20):
        _theme(f"theme-{n}", f"主题{n}", "person", versions)
    cache.clear()
    with assert_max_queries(_ANONYMOUS_PORTAL_QUERIES):
        assert client.get("/").status_code == 200
    with assert_max_queries(_ANONYMOUS_PORTAL_QUERIES - 1):  # the usage is cached for ten minutes
        assert client.get("/").status_code == 200


_PORTAL_TEMPLATES = [
    "kernel/templates/kernel/home/anonymous.html", "kernel/templates/kernel/home/_public.html",
    "kernel/templates/kernel/home/_portal.html", "kernel/templates/kernel/home/_portal_search.html",
    "catalog/templates/catalog/portal/_search.html", "catalog/templates/catalog/portal/_most_used.html",
    "catalog/templates/catalog/portal/_themes.html",
]
_TRANSLATED = re.compile(r"{%\s*blocktranslate.*?{%\s*endblocktranslate\s*%}|{%.*?%}|{{.*?}}|{#.*?#}", re.DOTALL)


@pytest.mark.parametrize("path", _PORTAL_TEMPLATES)
def test_every_chinese_text_of_the_portal_templates_is_marked_for_translation(path):
    source = (SRC / path).read_text(encoding="utf-8")
    bare = _TRANSLATED.sub("", source)
    assert not re.findall(r"[\u3400-\u9fff]+", bare), f"{path} has Chinese text outside {{% translate %}}"


def test_the_portal_speaks_english_when_english_is_chosen(client, dept):
    _theme("start-business", "开办企业", "enterprise", [_item("610800-QT-0001", "企业设立登记", dept)])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    text = client.get("/").content.decode()
    for label in ("Search for a service", "Most used services", "Services by theme", "Services without signing in",
                  "Enterprise services", "1 service"):
        assert label in text, label
    for chinese in ("热门事项", "主题服务", "免登录服务", "搜索办事事项"):
        assert chinese not in text
