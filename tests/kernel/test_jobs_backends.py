"""The job queue: SQLite file by default, Redis when YS_JOBS_URL names one (production)."""

import json
import os
import socket
import subprocess
import sys

import pytest


def _huey_settings(**env) -> dict:
    code = ("import json; from django.conf import settings; import django; django.setup(); "
            "print(json.dumps({k: v for k, v in settings.HUEY.items() if k != 'consumer'}))")
    environ = {k: v for k, v in os.environ.items() if k != "YS_JOBS_URL"}
    environ |= {"DJANGO_SETTINGS_MODULE": "yingshang.settings", **env}
    out = subprocess.run([sys.executable, "-c", code], env=environ, capture_output=True, text=True, timeout=60, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_embedded_default_is_a_sqlite_queue_in_the_data_directory(tmp_path):
    huey = _huey_settings(YS_DATA_DIR=str(tmp_path))
    assert huey["huey_class"] == "huey.SqliteHuey"
    assert huey["filename"] == str(tmp_path / "jobs.sqlite3")


def test_redis_url_selects_the_redis_queue(tmp_path):
    huey = _huey_settings(YS_DATA_DIR=str(tmp_path), YS_JOBS_URL="redis://127.0.0.1:6379/5")
    assert huey["huey_class"] == "huey.RedisHuey" and huey["url"] == "redis://127.0.0.1:6379/5"


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379: the Redis round trip is skipped")
def test_a_job_round_trips_through_redis():
    from huey import RedisHuey

    huey = RedisHuey("yingshang-test", url="redis://127.0.0.1:6379/15")
    huey.flush()

    @huey.task()
    def add(a, b):
        return a + b

    result = add(2, 3)
    assert huey.pending_count() == 1
    task = huey.dequeue()
    huey.execute(task)
    assert result.get() == 5
    huey.flush()
