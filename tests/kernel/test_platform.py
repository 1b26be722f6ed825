"""Platform plumbing: jobs after commit, masked logs, settings from the environment, health."""

import logging

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from yingshang import env
from yingshang.kernel.jobs import enqueue_on_commit
from yingshang.kernel.logmask import MaskIdentifiersFilter, mask_text


@pytest.mark.django_db(transaction=True)
def test_job_runs_only_after_commit():
    ran = []
    with transaction.atomic():
        enqueue_on_commit(ran.append, "sent")
        assert ran == []
    assert ran == ["sent"]


@pytest.mark.django_db(transaction=True)
def test_job_is_dropped_when_the_transaction_rolls_back():
    ran = []
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(ran.append, "sent")
        raise RuntimeError
    assert ran == []


def test_log_lines_mask_id_and_mobile_numbers():
    text = mask_text("申请人 610802199001011234 手机 13791200001 旧证 610802900101123")
    assert "610802199001011234" not in text and "610802********1234" in text
    assert "137****0001" in text
    assert "610802******123" in text


def test_mask_filter_rewrites_the_record(caplog):
    logger = logging.getLogger("yingshang.test")
    logger.addFilter(MaskIdentifiersFilter())
    with caplog.at_level(logging.INFO):
        logger.info("查询 %s", "61080219900101123X")
    assert "61080219900101123X" not in caplog.text and "610802********123X" in caplog.text


def test_uscc_is_not_mistaken_for_an_id_number():
    assert mask_text("91110000600037341L") == "91110000600037341L"


def test_env_flags_and_integers_are_checked(monkeypatch):
    monkeypatch.setenv("YS_X", "yes")
    assert env.flag("YS_X", False) is True
    monkeypatch.setenv("YS_X", "maybe")
    with pytest.raises(ImproperlyConfigured, match="true/false"):
        env.flag("YS_X", False)
    monkeypatch.setenv("YS_N", "ten")
    with pytest.raises(ImproperlyConfigured, match="整数"):
        env.integer("YS_N", 1)
    monkeypatch.setenv("YS_L", "a, b,,c")
    assert env.csv("YS_L", "") == ["a", "b", "c"]


@pytest.mark.django_db
def test_health_endpoint_reports_the_database(client):
    data = client.get("/api/v1/health").json()
    assert data["status"] == "ok" and data["database"] in ("sqlite", "postgresql")


def test_openapi_document_is_served(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["info"]["title"] == "营商平台 API"
    assert "/api/v1/health" in doc["paths"]
    assert client.get("/api/v1/docs").status_code == 200


@pytest.mark.django_db
def test_pages_are_chinese_even_when_the_browser_asks_for_english(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "zh-hans"


@pytest.mark.django_db
def test_role_names_edited_in_admin_survive_a_migrate():
    from django.apps import apps

    from yingshang.kernel.models import Role
    from yingshang.kernel.signals import sync_roles

    Role.objects.filter(code="window_clerk").update(name="综合窗口受理员")
    sync_roles(sender=None, app_config=apps.get_app_config("kernel"))
    assert Role.objects.get(code="window_clerk").name == "综合窗口受理员"


@pytest.mark.django_db
def test_migrate_loads_the_official_calendar_when_enabled(settings):
    from django.apps import apps

    from yingshang.kernel.models import CalendarYear
    from yingshang.kernel.signals import seed_calendar

    settings.CALENDAR_SEED_ON_MIGRATE = True
    seed_calendar(sender=None, app_config=apps.get_app_config("kernel"))
    assert CalendarYear.objects.filter(year=2026).exists()
