"""The test suite's own settings: what keeps parallel test processes apart."""

import os
import subprocess
import sys


def _data_dir(env: dict) -> str:
    code = "import yingshang.test_settings as s; print(s.DATA_DIR)"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True,
                          timeout=60).stdout.strip()


def test_each_xdist_worker_gets_its_own_data_directory_even_when_the_controller_set_one(tmp_path):
    base = {**os.environ, "YS_DATA_DIR": str(tmp_path)}
    base.pop("YS_DATABASE_URL", None)
    first = _data_dir(base | {"PYTEST_XDIST_WORKER": "gw0"})
    second = _data_dir(base | {"PYTEST_XDIST_WORKER": "gw1"})
    assert len({first, second, str(tmp_path)}) == 3 and "gw0" in first and "gw1" in second


def test_a_serial_run_keeps_a_data_directory_it_was_given(tmp_path):
    env = {**os.environ, "YS_DATA_DIR": str(tmp_path)}
    env.pop("YS_DATABASE_URL", None)
    env.pop("PYTEST_XDIST_WORKER", None)
    assert _data_dir(env) == str(tmp_path)
