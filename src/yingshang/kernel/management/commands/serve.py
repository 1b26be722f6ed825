"""`yingshang serve`: the production server (gunicorn, static files through whitenoise).

In the embedded default (jobs on SQLite) it also starts the job consumer beside the web workers, so
one command runs everything. With Redis jobs, run consumers separately: `yingshang run_huey`.
"""

import signal
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "启动生产服务器（gunicorn + whitenoise）；默认嵌入式部署同时启动后台任务处理进程。"
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
        parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
        parser.add_argument("--workers", type=int, default=2, help="Web 进程数（默认 2）")
        parser.add_argument("--threads", type=int, default=4, help="每个进程的线程数（默认 4）")
        parser.add_argument("--jobs", choices=["auto", "yes", "no"], default="auto",
                            help="是否同时启动后台任务处理：auto=任务队列为 SQLite 时启动")

    def handle(self, *args, host, port, workers, threads, jobs, **options):
        if not 1 <= port <= 65535:
            raise CommandError("端口必须在 1–65535 之间")
        if workers < 1 or threads < 1:
            raise CommandError("进程数与线程数必须至少为 1")
        if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
            call_command("collectstatic", interactive=False, verbosity=0)
        embedded = "SqliteHuey" in settings.HUEY["huey_class"]
        consumer = None
        if jobs == "yes" or (jobs == "auto" and embedded):
            consumer = subprocess.Popen([sys.executable, "-m", "yingshang", "run_huey", "--quiet"])
            self.stdout.write("后台任务处理进程已启动")
        self.stdout.write(f"营商平台运行于 http://{host}:{port}/ （Ctrl-C 退出）")
        try:
            _gunicorn(gunicorn_options(host, port, workers, threads)).run()
        finally:
            if consumer is not None:
                consumer.send_signal(signal.SIGINT)
                try:
                    consumer.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    consumer.kill()


def gunicorn_options(host: str, port: int, workers: int, threads: int) -> dict:
    return {
        "bind": f"{host}:{port}", "workers": workers, "threads": threads,
        # One thread per process: gunicorn's plain synchronous worker. No thread hands requests over under
        # the GIL, so an API server on few cores answers more (it closes each connection, as it expects a
        # proxy such as nginx in front; several threads keep connections alive).
        "worker_class": "sync" if threads == 1 else "gthread",
        "accesslog": "-", "timeout": 60, "graceful_timeout": 20,
        "logger_class": "yingshang.kernel.accesslog.AccessLogger",  # masked, and cheap per request
    }


def _gunicorn(options):  # builds the app class lazily so gunicorn is imported only when serving
    from gunicorn.app.base import BaseApplication

    class App(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            from yingshang.wsgi import application

            return application

    return App()
