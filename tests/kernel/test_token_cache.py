"""A verified API token is remembered per process for TOKEN_CACHE_SECONDS, so a system calling the
API thousands of times a second pays no token queries; a revoked token stops working within that time."""

import pytest
from django.test import override_settings

from tests.factories import UserFactory
from tests.helpers import assert_max_queries
from yingshang.kernel.api import auth
from yingshang.kernel.services.org import do_issue_api_token, do_revoke_api_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def token():
    auth._CACHE.clear()
    user = UserFactory(role_codes=["credit_officer"])
    _row, raw = do_issue_api_token(user, "对接系统")
    yield _row, raw
    auth._CACHE.clear()


def _me(client, raw):
    return client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")


@override_settings(TOKEN_CACHE_SECONDS=15)
def test_a_remembered_token_costs_no_query(client, token):
    _row, raw = token
    assert _me(client, raw).status_code == 200
    with assert_max_queries(0):
        assert _me(client, raw).status_code == 200


@override_settings(TOKEN_CACHE_SECONDS=15)
def test_a_revoked_token_is_refused_once_the_cached_entry_lapses(client, token, monkeypatch):
    row, raw = token
    assert _me(client, raw).status_code == 200
    do_revoke_api_token(row)
    monkeypatch.setattr(auth._TokenCache, "ttl", staticmethod(lambda: 0.0))  # the 15 seconds have passed
    assert _me(client, raw).status_code == 401


def test_without_the_cache_revocation_is_immediate(client, token):
    row, raw = token
    assert _me(client, raw).status_code == 200
    do_revoke_api_token(row)
    assert _me(client, raw).status_code == 401


@override_settings(TOKEN_CACHE_SECONDS=15)
def test_request_attributes_do_not_leak_into_the_cached_user(client, token):
    _row, raw = token
    _me(client, raw)
    cached = next(iter(auth._CACHE._items.values()))[0]
    assert not hasattr(cached, "backend")
    _me(client, raw)
    assert next(iter(auth._CACHE._items.values()))[0] is cached
