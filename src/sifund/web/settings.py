"""Django settings, read from the environment (see :func:`sifund.web.setup`).

``SIFUND_DATA``: the data folder (SQLite database, uploads, secret key).
``SIFUND_DATABASE_URL``: ``postgresql://user:pass@host:port/name`` overrides SQLite.
``SIFUND_UPLOAD_MAX_MB``: largest upload (default 20).
``SIFUND_ALLOWED_HOSTS``: comma-separated host names (default: any; the server binds loopback
unless told otherwise).
``SIFUND_SECURE_COOKIES=1``: cookies only over HTTPS (behind a TLS proxy in production).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from sifund.web import data_dir

DATA_DIR = data_dir()
UPLOAD_DIR = DATA_DIR / "uploads"
BASE_DIR = Path(__file__).resolve().parent


def _secret_key() -> str:
    """One random key per data folder, kept in DATA/secret_key (0600), so sessions survive a
    restart and two data folders never share a key."""
    if key := os.environ.get("SIFUND_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not DATA_DIR.is_dir():  # not set up (tests, a bare import): nothing is written anywhere
        return secrets.token_urlsafe(50)
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        key = secrets.token_urlsafe(50)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(key)
        return key
    except OSError:
        return secrets.token_urlsafe(50)


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("SIFUND_DEBUG") == "1"
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("SIFUND_ALLOWED_HOSTS", "*").split(",") if h.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # its bundled Swagger UI for /api/v1/docs (else it loads it from a CDN)
    "sifund.web.apps.SifundWebConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "sifund.web.jsonapi.json_method_not_allowed",
]

ROOT_URLCONF = "sifund.web.urls"
WSGI_APPLICATION = "sifund.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sifund.web.context.sifund",
            ],
        },
    }
]


def _database() -> dict:
    url = os.environ.get("SIFUND_DATABASE_URL", "").strip()
    if url:
        import dj_database_url

        db = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        db.setdefault("OPTIONS", {})
        return db
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(DATA_DIR / "sifund.sqlite3"),
        "CONN_MAX_AGE": 600,  # one connection per server thread, not one per request
        # WAL lets readers go on while one writer commits; busy timeout instead of "database is locked"
        "OPTIONS": {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA mmap_size=268435456;",
        },
    }


DATABASES = {"default": _database()}
# Per-process memory cache (dashboard grids, keyed by the area's state: see web/dashboard.cached)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "sifund",
        "OPTIONS": {"MAX_ENTRIES": 500},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static" if DATA_DIR.is_dir() else None  # `collectstatic` target; unused otherwise
if STATIC_ROOT is not None:
    STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True  # serve from the package's static folders; no collectstatic step
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # the page's script reads it to send X-CSRFToken
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = os.environ.get("SIFUND_SECURE_COOKIES") == "1"
SESSION_COOKIE_AGE = 8 * 3600
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

UPLOAD_MAX_BYTES = int(float(os.environ.get("SIFUND_UPLOAD_MAX_MB", "20")) * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # larger uploads spill to a temporary file
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000  # the figure form of a seven-fund dataset has ~3,000 fields

# Login throttling: this many failures for one user name (or one address) within the window
LOGIN_MAX_FAILURES = int(os.environ.get("SIFUND_LOGIN_MAX_FAILURES", "5"))
LOGIN_FAILURE_WINDOW_S = int(os.environ.get("SIFUND_LOGIN_WINDOW_S", "900"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django": {"handlers": ["console"], "level": os.environ.get("SIFUND_LOG_LEVEL", "WARNING")}},
}
