"""WSGI entry point (gunicorn loads `application`).

System-to-system API calls — a bearer token on a path under /api/ — go through a lean handler
without the browser's middlewares (session, CSRF, messages, locale, HTMX, login lockout): such a
call carries no cookie and needs none of them, and skipping them takes about a third off the cost
of a credit check made at another system's window (`yingshang bench --only credit.check.http`).
Without a session such a call can only be authenticated by its token, never by a cookie, so CSRF
protection is not weakened. Everything else goes through the full stack in settings.MIDDLEWARE.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yingshang.settings")
_full = get_wsgi_application()

from django.conf import settings  # noqa: E402 - after setup
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402

API_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "yingshang.kernel.middleware.RejectNulMiddleware",
    "yingshang.kernel.middleware.RejectHugeIdsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "yingshang.kernel.middleware.TokenCallMiddleware",
    "yingshang.kernel.middleware.RequestContextMiddleware",
]


class _LeanHandler(WSGIHandler):
    def load_middleware(self, is_async=False):
        # Built once at start-up, before any request thread runs.
        full = settings.MIDDLEWARE
        settings.MIDDLEWARE = API_MIDDLEWARE
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = full


_lean = _LeanHandler()


def is_token_call(environ) -> bool:
    return environ.get("PATH_INFO", "").startswith("/api/") and environ.get("HTTP_AUTHORIZATION", "").startswith("Bearer ")


def application(environ, start_response):
    return (_lean if is_token_call(environ) else _full)(environ, start_response)
