"""Settings, all read from YS_* environment variables (documented in README.md, "Configuration").

The app servers keep no state of their own: data lives in the database, files under YS_DATA_DIR
(shared storage when several servers run), jobs in the queue named by YS_JOBS_URL.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

from yingshang import env

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("YS_DATA_DIR") or Path.cwd() / "var").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    key = os.environ.get("YS_SECRET_KEY")
    if key:
        return key
    # Embedded default: one key per data directory, kept beside the database it protects.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
# Keys the digests of resident ID numbers; keep it when rotating YS_SECRET_KEY (else digests stop matching).
ID_DIGEST_KEY = os.environ.get("YS_ID_DIGEST_KEY") or None
DEBUG = env.flag("YS_DEBUG", False)
ALLOWED_HOSTS = env.csv("YS_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env.csv("YS_CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("YS_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "yingshang.kernel",
    "yingshang.catalog",
    "yingshang.cases",
    "yingshang.credit",
    "yingshang.supervision",
    "yingshang.licences",
    "yingshang.trading",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "huey.contrib.djhuey",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "yingshang.kernel.middleware.RejectNulMiddleware",
    "yingshang.kernel.middleware.RejectHugeIdsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "yingshang.kernel.middleware.ChineseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "yingshang.kernel.middleware.RequestContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "yingshang.urls"
WSGI_APPLICATION = "yingshang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yingshang.kernel.context_processors.shell",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("YS_DATABASE_URL") or f"sqlite:///{DATA_DIR / 'yingshang.sqlite3'}"
_db = dj_database_url.parse(DATABASE_URL, conn_max_age=env.integer("YS_DB_CONN_MAX_AGE", 60))
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # Connections are kept (per thread) like PostgreSQL's: opening one runs the PRAGMAs below, which
    # cost more than a typical read request.
    _db["OPTIONS"] = {
        # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN so two
        # writers queue on busy_timeout instead of failing to upgrade a read lock (SQLITE_BUSY).
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
else:
    _db["CONN_HEALTH_CHECKS"] = True
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and security ------------------------------------------------------------------
AUTH_USER_MODEL = "kernel.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Login rate limiting: 5 failures per username and address lock them for 15 minutes.
AXES_FAILURE_LIMIT = env.integer("YS_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env.integer("YS_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "kernel/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env.integer("YS_PROXY_COUNT", 0)

SECURE = env.flag("YS_SECURE_COOKIES", False)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.integer("YS_SESSION_SECONDS", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the page meta tag, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if SECURE:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000

# --- Language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Files ----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(DATA_DIR / "files"), "base_url": None}},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded and issued files live outside the web root and are served only through views that check access.
MEDIA_ROOT = DATA_DIR / "files"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Largest uploaded material file (online applications, material library); stored under DATA_DIR/uploads.
UPLOAD_MAX_BYTES = env.integer("YS_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)

# --- Cache (not used for anything that must survive; Redis when several servers run) ----------
CACHE_URL = os.environ.get("YS_CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL.startswith("redis")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- Jobs -----------------------------------------------------------------------------------
JOBS_URL = os.environ.get("YS_JOBS_URL", "")
if JOBS_URL.startswith("redis"):
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "yingshang",
        "url": JOBS_URL,
        "immediate": False,
        "consumer": {"workers": env.integer("YS_JOB_WORKERS", 4), "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "yingshang",
        "filename": JOBS_URL.removeprefix("sqlite:///") or str(DATA_DIR / "jobs.sqlite3"),
        "immediate": env.flag("YS_JOBS_IMMEDIATE", False),
        "consumer": {"workers": env.integer("YS_JOB_WORKERS", 2), "worker_type": "thread"},
    }

# --- Messages -------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("YS_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_HOST = os.environ.get("YS_EMAIL_HOST", "localhost")
EMAIL_PORT = env.integer("YS_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("YS_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("YS_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env.flag("YS_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("YS_EMAIL_FROM", "营商平台 <noreply@yingshang.local>")
YS_SMS_BACKEND = os.environ.get("YS_SMS_BACKEND", "yingshang.kernel.services.sms.LogSmsBackend")

# --- Logging (identifiers are masked by the filter before anything is written) ----------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_ids": {"()": "yingshang.kernel.logmask.MaskIdentifiersFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["mask_ids"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("YS_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}, "jieba": {"level": "WARNING"}},
}

NINJA_PAGINATION_PER_PAGE = 50
# A verified API token is remembered per process this long (revocation and role changes apply within it).
TOKEN_CACHE_SECONDS = env.integer("YS_TOKEN_CACHE_SECONDS", 15)

# --- Working-day calendar -----------------------------------------------------------------------
# How often (seconds) each process checks whether another process changed the calendar.
CALENDAR_RECHECK_SECONDS = env.integer("YS_CALENDAR_RECHECK_SECONDS", 30)
# `migrate` loads the official schedules chinese-calendar knows (years already present are kept).
CALENDAR_SEED_ON_MIGRATE = env.flag("YS_CALENDAR_SEED_ON_MIGRATE", True)

# Trading bonds: the bank adapter for sub-accounts and refunds, the key the bank signs its notifications
# with (HMAC-SHA256; unset: derived from the secret key, development only), the e-guarantee issuer adapter.
TRADING_BANK = os.environ.get("YS_TRADING_BANK", "yingshang.trading.bank.SimulatedBank")
TRADING_BANK_KEY = os.environ.get("YS_TRADING_BANK_KEY", "")
TRADING_GUARANTEE_ISSUER = os.environ.get("YS_TRADING_GUARANTEE_ISSUER", "yingshang.trading.issuers.SimulatedIssuer")
