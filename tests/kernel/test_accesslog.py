"""The server's access log masks resident ID numbers and mobile numbers, and writes the combined format."""

import logging
from datetime import timedelta
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from yingshang.kernel.accesslog import AccessLogger


@pytest.fixture
def logger():
    cfg = Config()
    cfg.set("accesslog", "-")
    log = AccessLogger(cfg)
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record.getMessage())

    log.access_log.handlers = [Keep()]
    log.records = records
    return log


def _environ(uri: str, referer: str | None = None) -> dict:
    environ = {"REMOTE_ADDR": "10.0.0.5", "REQUEST_METHOD": "GET", "RAW_URI": uri, "SERVER_PROTOCOL": "HTTP/1.1",
               "HTTP_USER_AGENT": "curl/8"}
    if referer:
        environ["HTTP_REFERER"] = referer
    return environ


def test_a_resident_id_in_the_url_or_the_referer_is_masked(logger):
    response = SimpleNamespace(status="200 OK", sent=512, headers=[])
    logger.access(response, None, _environ("/api/v1/credit/public/search?q=610802199001011234",
                                           referer="http://x/credit/public?q=610802199001011234&tel=13912345678"),
                  timedelta(microseconds=1500))
    (line,) = logger.records
    assert "610802199001011234" not in line and "13912345678" not in line
    assert "610802********1234" in line and "139****5678" in line


def test_the_line_is_the_combined_format_with_the_time_taken(logger):
    response = SimpleNamespace(status="404 Not Found", sent=None, headers=[])
    logger.access(response, None, _environ("/api/v1/health?x=%25s%d"), timedelta(seconds=1, microseconds=5))
    (line,) = logger.records
    assert line.startswith("10.0.0.5 - - [")
    assert line.endswith('"GET /api/v1/health?x=%25s%d HTTP/1.1" 404 - "-" "curl/8" 1000005')


def test_nothing_is_written_when_the_access_log_is_off():
    log = AccessLogger(Config())  # accesslog unset
    log.access(SimpleNamespace(status="200 OK", sent=1, headers=[]), None, _environ("/"), timedelta(0))
    assert not log.access_log_enabled
