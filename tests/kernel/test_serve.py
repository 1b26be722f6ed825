"""`yingshang serve` starts the production server with static files and the embedded job consumer."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.embedded
def test_serve_answers_health_and_static_files_then_stops_cleanly(fresh_data_dir):
    tmp_path = fresh_data_dir
    env = {**os.environ, "YS_DATA_DIR": str(tmp_path)}
    env.pop("YS_DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "yingshang", "serve", "--port", str(port), "--workers", "1"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        body = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=2) as response:
                    body = response.read().decode()
                    break
            except OSError:
                time.sleep(0.2)
        assert body and '"status": "ok"' in body.replace('":"', '": "')
        assert (tmp_path / "static" / "staticfiles.json").exists()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
            assert response.status == 200
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            raise
    output = server.stdout.read().decode()
    assert "后台任务处理进程已启动" in output


@pytest.mark.parametrize(("threads", "worker_class"), [(1, "sync"), (4, "gthread")])
def test_one_thread_per_process_runs_the_synchronous_worker(threads, worker_class):
    from yingshang.kernel.management.commands.serve import gunicorn_options

    options = gunicorn_options("127.0.0.1", 8000, 2, threads)
    assert options["worker_class"] == worker_class and options["workers"] == 2 and options["accesslog"] == "-"


def test_the_server_logs_access_through_the_masking_logger():
    from yingshang.kernel.management.commands.serve import gunicorn_options

    assert gunicorn_options("127.0.0.1", 8000, 2, 1)["logger_class"] == "yingshang.kernel.accesslog.AccessLogger"


def test_gunicorn_parses_requests_with_its_c_parser():
    # gunicorn_h1c is a declared dependency; gunicorn uses it when importable (private check, gunicorn ≥ 27).
    from gunicorn.config import Config
    from gunicorn.http.message import _check_fast_parser

    assert _check_fast_parser(Config())
