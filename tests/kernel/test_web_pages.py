"""The web shell's pages: the landing page, a home per role, the inbox, error pages, no external assets."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import DepartmentFactory, UserFactory
from tests.helpers import assert_max_queries
from yingshang.kernel import access
from yingshang.kernel.models import AuditEntry, Message

pytestmark = pytest.mark.django_db

# Each role's home: its template's heading and one text only that home shows.
ROLE_HOMES = {
    access.CITIZEN: ("我的办事", "常用功能"),
    access.ENTERPRISE: ("企业办事", "常用功能"),
    access.WINDOW_CLERK: ("综合受理工作台", "同城通办"),
    access.DEPT_REVIEWER: ("部门待办", "常用功能"),
    access.DEPT_HEAD: ("部门待办", "常用功能"),
    access.SUPERVISOR: ("监察概览", "常用功能"),
    access.LEADER: ("监察概览", "交易与热线指标"),
    access.CREDIT_OFFICER: ("信用工作台", "常用功能"),
    access.TRADING_STAFF: ("交易中心工作台", "交易项目"),
    access.EXPERT: ("评标专家工作台", "评标任务"),
    access.BIDDER: ("投标人工作台", "我的投标"),
    access.TENDERER: ("招标人工作台", "登记招标项目"),
    access.AGENCY: ("招标代理工作台", "登记招标项目"),
    access.HOTLINE_OPERATOR: ("12345热线工作台", "工单受理"),
    access.ADMIN: ("系统管理", "工作日历"),
}
_EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["']\s*((?:https?:)?//[^"']*)""", re.IGNORECASE)


@pytest.fixture
def city():
    return DepartmentFactory(city=True)


def _user(role: str, city):
    extra = {"is_staff": True, "is_superuser": True} if role == access.ADMIN else {}
    department = None if role in (access.CITIZEN, access.ENTERPRISE, access.EXPERT, access.BIDDER) else \
        DepartmentFactory(parent=city, name=f"{role}单位")
    return UserFactory(role_codes=[role], department=department, real_name=f"{role}用户", **extra)


def test_every_role_has_a_home_template():
    assert set(ROLE_HOMES) == set(access.ROLE_NAMES)


def test_anonymous_landing_page_links_the_public_services_from_the_navigation_registry(client, city):
    response = client.get("/")
    text = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in text
    assert "欢迎使用榆林市营商平台" in text
    for url_name in ("catalog:guide", "cases:progress", "credit:public"):
        assert f'href="{reverse(url_name)}"' in text
    assert "文书核验" in text
    assert "即将开放" not in text  # every public module that exists is linked, none is announced
    assert reverse("login") in text


@pytest.mark.parametrize(("role", "url_name"), [(access.WINDOW_CLERK, "cases:window"), (access.DEPT_REVIEWER, "cases:inbox"),
                                                (access.SUPERVISOR, "supervision:report"),
                                                (access.CREDIT_OFFICER, "credit:home")])
def test_a_role_home_links_the_modules_the_role_may_open(client, city, role, url_name):
    client.force_login(_user(role, city))
    text = client.get("/").content.decode()
    assert f'href="{reverse(url_name)}"' in text
    assert "即将开放" not in text
    assert 'href="/admin/"' not in text


@pytest.mark.parametrize("role", sorted(ROLE_HOMES))
def test_each_role_sees_its_own_home_with_name_role_and_department(client, city, role):
    user = _user(role, city)
    client.force_login(user)
    response = client.get("/")
    text = response.content.decode()
    assert response.status_code == 200
    heading, marker = ROLE_HOMES[role]
    assert heading in text and marker in text
    assert user.real_name in text
    assert access.ROLE_NAMES[role] in text
    if user.department:
        assert user.department.name in text
    assert 'action="/logout/"' in text


def test_a_user_without_roles_is_told_to_ask_for_one(client, city):
    client.force_login(UserFactory())
    response = client.get("/")
    assert response.status_code == 200
    assert "尚未分配角色" in response.content.decode()


def test_a_user_with_several_roles_gets_the_home_of_the_first_in_display_order(client, city):
    user = UserFactory(role_codes=[access.SUPERVISOR, access.DEPT_REVIEWER], department=DepartmentFactory(parent=city))
    client.force_login(user)
    assert "部门待办" in client.get("/").content.decode()


def test_renamed_role_shows_its_new_name_in_the_header(client, city):
    from yingshang.kernel.models import Role

    Role.objects.filter(code=access.CITIZEN).update(name="办事群众")
    client.force_login(UserFactory(citizen=True))
    assert "办事群众" in client.get("/").content.decode()


def test_citizen_home_lists_own_site_messages_and_unread_count_only(client, city):
    citizen, other = UserFactory(citizen=True), UserFactory(citizen=True)
    Message.objects.create(channel="site", recipient=citizen, subject="您的申请已受理", body="…")
    Message.objects.create(channel="site", recipient=citizen, subject="已读的通知", body="…", read_at="2025-01-01T00:00Z")
    Message.objects.create(channel="email", recipient=citizen, subject="邮件副本", body="…")
    Message.objects.create(channel="site", recipient=other, subject="别人的消息", body="…")
    client.force_login(citizen)
    text = client.get("/").content.decode()
    assert "您的申请已受理" in text and "已读的通知" in text
    assert "邮件副本" not in text and "别人的消息" not in text
    assert "1 条未读" in text


# session, user, the user's department, role codes, role name, city
_LAYOUT_QUERIES = 6
# the portal's sections under an applicant's panels: item usage (cases), most used items (≤ 2), themes
_PORTAL_QUERIES = 4
# the role's own data (inbox: latest + unread count = 2)
_HOME_QUERIES = {
    access.WINDOW_CLERK: 4, access.DEPT_REVIEWER: 4, access.DEPT_HEAD: 4,
    access.SUPERVISOR: 5, access.LEADER: 5, access.ADMIN: 7,
    access.CITIZEN: 2 + _PORTAL_QUERIES, access.ENTERPRISE: 2 + _PORTAL_QUERIES,
}


@pytest.mark.parametrize("role", sorted(ROLE_HOMES))
def test_home_query_count_does_not_grow_with_data(client, city, role):
    user = _user(role, city)
    for i in range(30):
        Message.objects.create(channel="site", recipient=user, subject=f"消息{i}", body="…")
        DepartmentFactory(parent=city)
    client.force_login(user)
    client.get("/")  # warm the session
    with assert_max_queries(_LAYOUT_QUERIES + _HOME_QUERIES.get(role, 2)):
        assert client.get("/").status_code == 200


def test_supervisor_home_counts_todays_audit_entries_and_departments(client, city):
    from yingshang.kernel.services.audit import record

    for _ in range(3):
        record("test.thing.done", object_type="test", object_id="1")
    DepartmentFactory(parent=city, hall=True)
    user = _user(access.SUPERVISOR, city)
    client.force_login(user)
    response = client.get("/")
    assert response.context["audit_today"] == AuditEntry.objects.count()
    assert response.context["departments_total"] == 3  # the city, the hall, the supervisor's unit
    assert "test.thing.done" in response.content.decode()


def test_admin_home_shows_provisional_calendar_years_and_the_audit_chain_head(client, city):
    from yingshang.kernel.models import CalendarYear
    from yingshang.kernel.services.audit import record

    this_year = timezone.localdate().year
    CalendarYear.objects.filter(year__gte=this_year).delete()
    CalendarYear.objects.get_or_create(year=this_year, defaults={"source": "国务院办公厅通知"})
    entry = record("test.thing.done", object_type="test", object_id="1")
    client.force_login(_user(access.ADMIN, city))
    response = client.get("/")
    status = dict(response.context["calendar_years"])
    assert status[this_year] is True
    assert status[this_year + 1] is False
    assert "推算（临时）" in response.content.decode()
    assert response.context["audit_head"]["seq"] == entry.seq
    assert reverse("admin:index") in response.content.decode()


@pytest.mark.parametrize("role", [None, *sorted(ROLE_HOMES)])
def test_rendered_pages_load_nothing_from_other_hosts(client, city, role):
    if role:
        client.force_login(_user(role, city))
    pages = ["/", "/messages/", "/login/", "/departments/", "/audit/", "/no-such-page/"] if role else ["/", "/login/"]
    for url in pages:
        response = client.get(url)
        if response.status_code in (301, 302):
            continue
        found = _EXTERNAL.findall(response.content.decode())
        assert not found, f"{url} refers to other hosts: {found}"


def test_htmx_is_vendored_and_configured_to_send_the_csrf_token(client, city):
    text = client.get("/").content.decode()
    assert "/static/vendor/htmx/htmx.min.js" in text
    assert '<meta name="csrf-token"' in text
    assert "hx-headers='{\"X-CSRFToken\":" in text


def test_layout_has_skip_link_landmarks_and_labelled_language_switch(client, city):
    text = client.get("/").content.decode()
    assert 'href="#main"' in text and '<main id="main"' in text
    assert "<header" in text and "<nav" in text and "<footer" in text
    assert '<label for="lang-select"' in text
    assert 'aria-current="page"' in text


def test_unknown_page_gets_the_chinese_404_page(client, city):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "您访问的页面不存在" in response.content.decode()


def test_500_page_renders_without_a_request_or_database():
    from django.template.loader import render_to_string

    with assert_max_queries(0):
        text = render_to_string("500.html")
    assert "系统暂时无法处理您的请求" in text


def test_server_error_view_uses_the_standalone_500_page(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "12345" in response.content.decode()


def test_bad_request_and_expired_form_pages_are_standalone_and_chinese(rf):
    from django.views.csrf import csrf_failure
    from django.views.defaults import bad_request

    with assert_max_queries(0):
        bad = bad_request(rf.get("/"), Exception("bad"))
        expired = csrf_failure(rf.post("/"), reason="CSRF cookie not set.")
    assert bad.status_code == 400 and "请求无效" in bad.content.decode()
    assert expired.status_code == 403 and "页面已过期" in expired.content.decode()


def test_verification_lookup_rejects_a_malformed_code_in_chinese(client, city):
    response = client.get("/verify/", {"code": "<script>"}, follow=True)
    assert "核验码格式不正确" in response.content.decode()


def test_verification_lookup_sends_a_typed_code_to_the_documents_verify_page(client, city):
    response = client.get("/verify/", {"code": " ab12-cd34 "})
    assert response.status_code == 302
    assert response["Location"] == reverse("document-verify", kwargs={"code": "AB12-CD34"})


def _contrast(a: str, b: str) -> float:
    """WCAG 2.x contrast ratio of two #rrggbb colours."""
    def luminance(colour):
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_site_palette_meets_wcag_aa_contrast_for_text():
    from pathlib import Path

    import yingshang

    css = (Path(yingshang.__file__).parent / "kernel/static/kernel/site.css").read_text()
    var = dict(re.findall(r"--ys-([a-z-]+):\s*(#[0-9a-f]{6})", css))
    white = "#ffffff"
    pairs = [  # (text, background) as the stylesheet uses them
        (white, var["primary"]), (white, var["primary-dark"]), (var["text"], white), (var["muted"], white),
        (var["muted"], var["surface"]), (var["primary"], white), (var["primary"], var["surface"]),
        (var["primary-dark"], var["info-bg"]), (var["accent"], white), (var["success"], var["success-bg"]),
        (var["error"], var["error-bg"]), (var["warning"], var["warning-bg"]), (var["info"], var["info-bg"]),
    ]
    for text, background in pairs:
        assert _contrast(text, background) >= 4.5, (text, background)
