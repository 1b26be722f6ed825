"""Signing in and out: Chinese errors, login rate limiting (axes), POST-only logout, CSRF, the language switch."""

import pytest
from axes.utils import reset as reset_axes
from django.conf import settings
from django.test import Client

from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "pass-1234-word"  # UserFactory's


@pytest.fixture(autouse=True)
def _fresh_lockouts():
    reset_axes()
    yield
    reset_axes()


@pytest.fixture
def citizen():
    DepartmentFactory(city=True)
    return UserFactory(citizen=True, username="zhangsan", real_name="张三")


def _login(client, username, password, **extra):
    return client.post("/login/", {"username": username, "password": password, **extra})


def test_login_page_has_chinese_labels_and_autocomplete_hints(client):
    text = client.get("/login/").content.decode()
    assert '<label for="id_username">用户名</label>' in text
    assert '<label for="id_password">密码</label>' in text
    assert 'autocomplete="current-password"' in text


def test_correct_password_signs_in_and_lands_on_the_role_home(client, citizen):
    response = _login(client, "zhangsan", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert "我的办事" in client.get("/").content.decode()


def test_login_follows_a_safe_next_and_ignores_another_host(client, citizen):
    assert _login(client, "zhangsan", PASSWORD, next="/messages/")["Location"] == "/messages/"
    client.post("/logout/")
    assert _login(client, "zhangsan", PASSWORD, next="https://evil.example/")["Location"] == "/"


def test_wrong_password_is_refused_with_one_chinese_message(client, citizen):
    response = _login(client, "zhangsan", "wrong-password")
    text = response.content.decode()
    assert response.status_code == 200
    assert "用户名或密码不正确" in text
    assert '_auth_user_id' not in client.session


def test_inactive_account_cannot_sign_in(client, citizen):
    citizen.is_active = False
    citizen.save()
    response = _login(client, "zhangsan", PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_signed_in_user_visiting_login_is_sent_home(client, citizen):
    client.force_login(citizen)
    assert client.get("/login/")["Location"] == "/"


def test_five_failures_lock_the_username_at_this_address_for_fifteen_minutes(client, citizen):
    assert settings.AXES_FAILURE_LIMIT == 5
    statuses = [_login(client, "zhangsan", f"wrong-{i}").status_code for i in range(5)]
    assert statuses[:4] == [200] * 4
    locked = _login(client, "zhangsan", PASSWORD)  # even the right password is refused now
    text = locked.content.decode()
    assert locked.status_code == 429
    assert "登录已暂时锁定" in text and "15 分钟后再试" in text
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_username_and_address(client, citizen):
    UserFactory(username="lisi")
    for i in range(5):
        _login(client, "zhangsan", f"wrong-{i}")
    assert _login(client, "lisi", PASSWORD).status_code == 302
    other_address = Client(REMOTE_ADDR="10.0.0.9")
    assert _login(other_address, "zhangsan", PASSWORD).status_code == 302


def test_a_successful_login_resets_the_failure_count(client, citizen):
    for i in range(4):
        _login(client, "zhangsan", f"wrong-{i}")
    assert _login(client, "zhangsan", PASSWORD).status_code == 302
    client.post("/logout/")
    for i in range(4):
        assert _login(client, "zhangsan", f"wrong-again-{i}").status_code == 200
    assert _login(client, "zhangsan", PASSWORD).status_code == 302


def test_logout_refuses_get_and_signs_out_on_post(client, citizen):
    client.force_login(citizen)
    assert client.get("/logout/").status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post("/logout/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert "_auth_user_id" not in client.session


def test_login_without_csrf_token_is_refused_with_the_chinese_page(citizen):
    client = Client(enforce_csrf_checks=True)
    response = _login(client, "zhangsan", PASSWORD)
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()


def test_login_with_the_page_csrf_token_succeeds(citizen):
    client = Client(enforce_csrf_checks=True)
    client.get("/login/")
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    assert _login(client, "zhangsan", PASSWORD, csrfmiddlewaretoken=token).status_code == 302


def test_logout_without_csrf_token_is_refused(citizen):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    assert client.post("/logout/").status_code == 403
    assert "_auth_user_id" in client.session


def test_htmx_post_with_the_csrf_header_from_the_page_is_accepted(citizen):
    from yingshang.kernel.models import Message

    message = Message.objects.create(channel="site", recipient=citizen, subject="通知", body="…")
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    page = client.get("/messages/").content.decode()
    token = page.split('<meta name="csrf-token" content="', 1)[1].split('"', 1)[0]
    refused = client.post(f"/messages/{message.pk}/read/", headers={"HX-Request": "true"})
    assert refused.status_code == 403
    accepted = client.post(f"/messages/{message.pk}/read/", headers={"HX-Request": "true", "X-CSRFToken": token})
    assert accepted.status_code == 200


def test_switching_to_english_shows_english_labels(client, citizen):
    client.force_login(citizen)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    text = client.get("/").content.decode()
    assert '<html lang="en">' in text
    for label in ("Home", "My messages", "Sign out"):
        assert label in text
    assert "首页" not in text


def test_switching_back_to_chinese(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Sign in" in client.get("/login/").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    text = client.get("/login/").content.decode()
    assert '<html lang="zh-hans">' in text and "用户名" in text
