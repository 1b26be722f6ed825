"""System calls with a bearer token take the lean WSGI path (no session, CSRF, messages, locale
middlewares); they behave as through the full stack, and a cookie never signs them in."""

import io
import json

import pytest

from tests.factories import UserFactory
from yingshang import wsgi
from yingshang.kernel.services.org import do_issue_api_token

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _keep_test_connection(monkeypatch):
    # A raw WSGI call closes "old" connections at request end; the test's own must survive.
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _call(path: str, headers: dict, method: str = "GET", body: bytes = b"") -> tuple[int, dict, dict]:
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "testserver",
               "SERVER_PORT": "80", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body),
               "CONTENT_LENGTH": str(len(body)), "CONTENT_TYPE": "application/json", "REMOTE_ADDR": "127.0.0.1",
               "HTTP_HOST": "testserver", **headers}
    status = {}

    def start_response(line, response_headers, exc_info=None):
        status["code"], status["headers"] = int(line.split()[0]), dict(response_headers)

    body = b"".join(wsgi.application(environ, start_response))
    return status["code"], status["headers"], json.loads(body or b"{}")


def test_a_token_call_takes_the_lean_path_and_answers_as_usual():
    user = UserFactory(role_codes=["credit_officer"], real_name="对接系统")
    _row, raw = do_issue_api_token(user, "窗口系统")
    assert wsgi.is_token_call({"PATH_INFO": "/api/v1/me", "HTTP_AUTHORIZATION": f"Bearer {raw}"})
    code, headers, body = _call("/api/v1/me", {"HTTP_AUTHORIZATION": f"Bearer {raw}"})
    assert code == 200 and body["username"] == user.username
    assert headers.get("X-Content-Type-Options") == "nosniff"  # security headers still set


def test_a_bad_token_is_refused_and_a_session_cookie_does_not_rescue_it(client):
    user = UserFactory(role_codes=["credit_officer"])
    client.force_login(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    code, _headers, body = _call("/api/v1/me", {"HTTP_AUTHORIZATION": "Bearer not-a-token", "HTTP_COOKIE": cookie})
    assert code == 401 and body["code"]


def test_browser_calls_keep_the_full_stack():
    assert not wsgi.is_token_call({"PATH_INFO": "/api/v1/me", "HTTP_COOKIE": "sessionid=x"})
    assert not wsgi.is_token_call({"PATH_INFO": "/cases/", "HTTP_AUTHORIZATION": "Bearer x"})
