import shutil

import pytest
from django.db import connection


def pytest_ignore_collect(collection_path, config):
    """tests/<app>/ is collected only while yingshang.<app> is installed (work in progress stays disabled)."""
    from pathlib import Path

    from django.apps import apps

    tests_dir = Path(__file__).parent
    if collection_path.parent == tests_dir and collection_path.is_dir() and (collection_path / "__init__.py").exists():
        name = collection_path.name
        if name not in ("kernel", "browser") and not apps.is_installed(f"yingshang.{name}"):
            return True
    return None


def pytest_collection_modifyitems(config, items):
    """Browser tests need Debian's Chromium; PostgreSQL-only tests need PostgreSQL. Skip clearly otherwise."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    for item in items:
        if "browser" in item.keywords and not chromium:
            item.add_marker(pytest.mark.skip(reason="no Chromium installed (apt-get install chromium); browser test skipped"))


@pytest.fixture
def on_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set YS_TEST_POSTGRES_URL): real parallel transactions")


@pytest.fixture
def api_client(client):
    """A Django test client for the JSON API."""
    return client


@pytest.fixture(autouse=True)
def _fresh_calendar_index():
    """Calendar data a test wrote (and rolled back) must not linger in this process's index."""
    yield
    from yingshang.kernel.services import calendar

    calendar.invalidate()
