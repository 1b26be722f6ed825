import datetime as dt
import json
import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from django.db import connection, transaction

from yingshang.kernel.errors import InvalidInput
from yingshang.kernel.models import SerialCounter
from yingshang.kernel.services.numbering import next_number, next_serial

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
class TestSequential:
    def test_first_serial_of_a_kind_is_one_and_counts_up(self):
        assert [next_serial("case", "2026") for _ in range(3)] == [1, 2, 3]
        assert SerialCounter.objects.get(kind="case", period="2026").value == 3

    def test_kinds_and_periods_count_separately(self):
        next_serial("case", "2026")
        assert next_serial("licence", "2026") == 1
        assert next_serial("case", "2027") == 1
        assert next_serial("case", "2026") == 2

    def test_number_has_prefix_year_and_zero_padded_serial(self):
        day = dt.date(2026, 3, 9)
        assert next_number("acceptance", prefix="SL", date=day) == "SL2026000001"
        assert next_number("acceptance", prefix="SL", date=day) == "SL2026000002"
        assert next_number("acceptance", prefix="SL", date=day, width=4) == "SL20260003"

    def test_serial_restarts_in_a_new_year(self):
        next_number("acceptance", prefix="SL", date=dt.date(2026, 12, 31))
        assert next_number("acceptance", prefix="SL", date=dt.date(2027, 1, 1)) == "SL2027000001"

    def test_year_defaults_to_today_in_the_platform_time_zone(self):
        from django.utils import timezone

        assert next_number("acceptance", prefix="SL").startswith(f"SL{timezone.localdate().year}")

    def test_serial_wider_than_width_gets_more_digits_instead_of_failing(self):
        SerialCounter.objects.create(kind="tiny", period="2026", value=99)
        assert next_number("tiny", prefix="T", date=dt.date(2026, 1, 5), width=2) == "T2026100"

    def test_rolled_back_transaction_gives_its_number_back(self):
        assert next_serial("case", "2026") == 1
        with pytest.raises(RuntimeError), transaction.atomic():
            assert next_serial("case", "2026") == 2
            raise RuntimeError("the caller failed after drawing a number")
        assert next_serial("case", "2026") == 2

    @pytest.mark.parametrize("kind", ["", "Case", "1case", "案件", "a" * 33, None])
    def test_bad_kind_is_rejected_with_a_chinese_message(self, kind):
        with pytest.raises(InvalidInput) as err:
            next_serial(kind, "2026")
        assert err.value.code == "invalid_serial_kind"
        assert "编号种类" in err.value.message

    @pytest.mark.parametrize("period", ["", "2026/01", "123456789"])
    def test_bad_period_is_rejected(self, period):
        with pytest.raises(InvalidInput) as err:
            next_serial("case", period)
        assert err.value.code == "invalid_serial_period"

    @pytest.mark.parametrize("prefix", ["", "sl", "1SL", "S-L", "受理", "ABCDEFGHIJK"])
    def test_bad_prefix_is_rejected(self, prefix):
        with pytest.raises(InvalidInput) as err:
            next_number("case", prefix=prefix)
        assert err.value.code == "invalid_number_prefix"

    @pytest.mark.parametrize("width", [0, 13, True, "6"])
    def test_bad_width_is_rejected(self, width):
        with pytest.raises(InvalidInput) as err:
            next_number("case", prefix="SL", width=width)
        assert err.value.code == "invalid_number_width"
        assert not SerialCounter.objects.exists()


def _draw_in_threads(threads: int, per_thread: int, kind: str, hold: float = 0.0) -> tuple[list[int], list[str]]:
    """Each thread draws `per_thread` serials, each in its own transaction, all starting together."""
    barrier = threading.Barrier(threads)
    serials: list[int] = []
    errors: list[str] = []
    lock = threading.Lock()

    def work():
        try:
            barrier.wait(timeout=30)
            for _ in range(per_thread):
                with transaction.atomic():
                    value = next_serial(kind, "2026")
                    time.sleep(hold)  # keep the transaction open so that others really wait on it
                with lock:
                    serials.append(value)
        except Exception as exc:  # collected and asserted on in the test thread
            errors.append(repr(exc))
        finally:
            connection.close()

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
    return serials, errors


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
class TestConcurrentOnPostgres:
    def test_parallel_transactions_draw_distinct_contiguous_serials(self, on_postgres):
        serials, errors = _draw_in_threads(threads=8, per_thread=10, kind="parallel", hold=0.002)
        assert errors == []
        assert sorted(serials) == list(range(1, 81))

    def test_first_use_of_a_counter_by_many_transactions_at_once_is_safe(self, on_postgres):
        # No row exists yet: every thread races to create it.
        serials, errors = _draw_in_threads(threads=12, per_thread=1, kind="firstuse")
        assert errors == []
        assert sorted(serials) == list(range(1, 13))
        assert SerialCounter.objects.filter(kind="firstuse").count() == 1

    def test_second_transaction_waits_for_the_first_and_reuses_a_rolled_back_number(self, on_postgres):
        next_serial("held", "2026")  # the row exists: 1
        drawn, got = threading.Event(), {}
        release_first = threading.Event()

        def first():
            try:
                with transaction.atomic():
                    got["first"] = next_serial("held", "2026")
                    drawn.set()
                    release_first.wait(10)
                    transaction.set_rollback(True)
            finally:
                connection.close()

        def second():
            try:
                drawn.wait(10)
                with transaction.atomic():
                    got["second"] = next_serial("held", "2026")
            finally:
                connection.close()

        t1, t2 = threading.Thread(target=first), threading.Thread(target=second)
        t1.start()
        t2.start()
        assert drawn.wait(10)
        time.sleep(0.3)
        assert "second" not in got, "the second transaction must wait while the first holds the counter"
        release_first.set()
        t1.join(10)
        t2.join(10)
        assert got == {"first": 2, "second": 2}


_SQLITE_RACE = textwrap.dedent(
    """
    import json, os, sys, threading
    os.environ["DJANGO_SETTINGS_MODULE"] = "yingshang.settings"
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    call_command("migrate", verbosity=0)
    connection.close()
    from yingshang.kernel.services.numbering import next_number

    threads, per_thread = int(sys.argv[1]), int(sys.argv[2])
    barrier, numbers, errors = threading.Barrier(threads), [], []

    def work():
        try:
            barrier.wait(timeout=30)
            for _ in range(per_thread):
                with transaction.atomic():
                    numbers.append(next_number("race", prefix="RC", width=4))
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connection.close()

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for w in workers: w.start()
    for w in workers: w.join()
    print(json.dumps({"numbers": numbers, "errors": errors}))
    """
)


@pytest.mark.slow
def test_parallel_writers_on_a_sqlite_file_draw_distinct_contiguous_numbers(tmp_path):
    # The suite's SQLite database is in memory (shared cache), where threads get "table is locked"
    # instead of queuing, so this runs against a real WAL file in a child process, as deployed.
    if connection.vendor != "sqlite":
        pytest.skip("SQLite behaviour; the PostgreSQL run has its own parallel tests")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("YS_", "DJANGO_"))}
    env.update(YS_DATA_DIR=str(tmp_path), YS_SECRET_KEY="x" * 50, PYTHONPATH=str(ROOT / "src"))
    proc = subprocess.run([sys.executable, "-c", _SQLITE_RACE, "6", "10"], env=env, capture_output=True,
                          text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["errors"] == []
    numbers = result["numbers"]
    assert len({n[:6] for n in numbers}) == 1 and numbers[0].startswith("RC")  # one prefix and year
    assert sorted(int(n[6:]) for n in numbers) == list(range(1, 61))
