"""Fuzz the whole JSON API from its OpenAPI document: bad input never gets a 500.

Every operation is called with generated parameters (valid and invalid), once anonymously and once
with an administrator's API token, so that both the authentication wall and the handlers are reached.
(Schemathesis' own pytest plugin does not run under pytest 9, so operations are drawn by hand.)
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.generation import GenerationMode

from tests.factories import UserFactory
from yingshang.kernel.services.org import do_issue_api_token

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests go through the raw WSGI app, which closes old connections at each request's end: on
    PostgreSQL that would close the test transaction's connection. Django's test client detaches
    the same handlers; do likewise."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _operations():
    from yingshang.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    return [result.ok() for result in schema.get_all_operations()]


OPERATIONS = _operations()


def _check(response, case) -> None:
    where = f"{case.method} {case.formatted_path} {case.query or ''}"
    assert response.status_code < 500, f"{where} → {response.status_code}: {response.text[:500]}"
    if response.status_code >= 400 and response.headers.get("Content-Type", "").startswith("application/json"):
        body = response.json()
        assert "code" in body and "message" in body, f"{where}: {body}"


def _fuzz(operation, headers=None) -> None:
    strategy = st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )

    @given(case=strategy)
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(case):
        _check(case.call(headers=headers), case)

    run()


@pytest.mark.parametrize("operation", OPERATIONS, ids=[op.label for op in OPERATIONS])
def test_api_never_answers_500_to_anonymous_callers(operation):
    _fuzz(operation)


@pytest.mark.parametrize("operation", OPERATIONS, ids=[op.label for op in OPERATIONS])
def test_api_never_answers_500_to_an_administrator(operation):
    _, raw = do_issue_api_token(UserFactory(admin=True), "fuzz")
    _fuzz(operation, headers={"Authorization": f"Bearer {raw}"})
