"""Settings for the test suite: a throw-away data directory, jobs run inline, fast hashing.

`make test` runs the suite once on SQLite and, when YS_TEST_POSTGRES_URL is set, once more on
PostgreSQL by passing it as YS_DATABASE_URL.
"""

import os
import tempfile

# Every test process has its own data directory: xdist workers inherit the controller's environment, and
# files named by row ids (import progress, uploads, issued documents) would collide between workers.
_worker = os.environ.get("PYTEST_XDIST_WORKER")
os.environ["YS_DATA_DIR"] = (tempfile.mkdtemp(prefix=f"ys-test-{_worker or 'main'}-")
                             if _worker or "YS_DATA_DIR" not in os.environ else os.environ["YS_DATA_DIR"])
os.environ["YS_JOBS_IMMEDIATE"] = "1"
os.environ.setdefault("YS_SECRET_KEY", "test-secret-key-not-for-production-use-0123456789")

from yingshang.settings import *  # noqa: F403, E402  (after the environment above)
from yingshang.settings import HUEY  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
HUEY = {**HUEY, "immediate": True}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
# Test databases start empty; tests that need the official calendar seed it themselves.
CALENDAR_SEED_ON_MIGRATE = False
# Tokens are looked up on every call in tests (revocation is immediate); tests of the cache turn it on.
TOKEN_CACHE_SECONDS = 0
