import contextlib
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction


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


EMBEDDED_SKIP = "runs the installed command on its own SQLite data directory: the same on both runs, so only in the SQLite run"


def pytest_collection_modifyitems(config, items):
    """Browser tests need Debian's Chromium; PostgreSQL-only tests need PostgreSQL. Skip clearly otherwise."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    on_sqlite = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
    for item in items:
        if "browser" in item.keywords and not chromium:
            item.add_marker(pytest.mark.skip(reason="no Chromium installed (apt-get install chromium); browser test skipped"))
        if "embedded" in item.keywords and not on_sqlite:
            item.add_marker(pytest.mark.skip(reason=EMBEDDED_SKIP))


@pytest.fixture(scope="session")
def _migrated_data_dir(tmp_path_factory) -> Path:
    """A data directory migrated by the real command once per test process (migrate costs seconds)."""
    base = tmp_path_factory.mktemp("migrated")
    env = {**os.environ, "YS_DATA_DIR": str(base), "DJANGO_SETTINGS_MODULE": "yingshang.settings"}
    env.pop("YS_DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "yingshang", "migrate", "-v0"], check=True, env=env, timeout=300)
    return base


@pytest.fixture
def fresh_data_dir(tmp_path, _migrated_data_dir) -> Path:
    """A new user's data directory (`YS_DATA_DIR`) with a freshly migrated SQLite database, for subprocess tests."""
    for source in _migrated_data_dir.iterdir():
        if source.is_file():
            shutil.copy2(source, tmp_path / source.name)
    return tmp_path


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker):
    """Data seeded once for a module's tests: the module's fixture writes inside this outer transaction, each
    test runs in a savepoint of it (as Django's setUpTestData does) and everything is rolled back at the end.

    For non-transactional tests only (`pytest.mark.django_db`).
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def run_command(*args) -> str:
    """`call_command` with what it printed returned (through self.stdout or print)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        call_command(*args, stdout=out)
    return out.getvalue()


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
