"""Settings for the TKPK application, driven by environment variables.

Development (the default) runs on SQLite under var/ with DEBUG on. Production is
DJANGO_DEBUG=0: it needs DJANGO_SECRET_KEY and switches on HTTPS-only cookies and HSTS.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (production)."
        )
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# The regency or city this installation serves, as a Kepmendagri code (e.g. 63.02).
TKPK_REGION_CODE = os.environ.get("TKPK_REGION_CODE", "63.02").strip()
if not re.fullmatch(r"\d{2}\.\d{2}", TKPK_REGION_CODE):
    raise ImproperlyConfigured(
        f"TKPK_REGION_CODE must be a regency or city code like 63.02, not {TKPK_REGION_CODE!r}."
    )

# Who signs the year-end report and the award certificates (piagam penghargaan), as printed.
TKPK_SIGNATORY_NAME = os.environ.get("TKPK_SIGNATORY_NAME", "").strip()
TKPK_SIGNATORY_TITLE = os.environ.get("TKPK_SIGNATORY_TITLE", "Ketua TKPK").strip()
# Where the certificates are signed ("Martapura"); empty prints no place.
TKPK_SIGNATORY_PLACE = os.environ.get("TKPK_SIGNATORY_PLACE", "").strip()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "axes",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "tkpk",
    "households",
    "programs",
    "partners",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # In production WhiteNoise serves the collected static files; runserver does in DEBUG.
    *([] if DEBUG else ["whitenoise.middleware.WhiteNoiseMiddleware"]),
    # Content-Security-Policy (CONTENT_SECURITY_POLICY below), Permissions-Policy and
    # no-store for signed-in users: early, so the other middlewares' answers get them too.
    "csp.middleware.CSPMiddleware",
    "tkpk.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tkpk.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Refuses oversized bodies before CSRF's process_view or a view reads them.
    "tkpk.request_limits.RequestBodyLimitMiddleware",
    # Django's LoginRequiredMiddleware, keeping what a signed-out POST typed (tkpk/typed.py).
    "tkpk.typed.KeepTypedLoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tkpk.urls"
FORM_RENDERER = "tkpk.rendering.FormRenderer"
WSGI_APPLICATION = "tkpk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "tkpk.context_processors.shell",
            ],
        },
    },
]

if not os.environ.get("DATABASE_URL"):
    (BASE_DIR / "var").mkdir(exist_ok=True)  # the embedded SQLite database lives here
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'tkpk.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "tkpk.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Django's similarity ratio lets `korban3korban3` through for user `korban3`.
    {"NAME": "tkpk.validators.PasswordContainsUserValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after a period of inactivity: every request pushes the expiry forward.
SESSION_COOKIE_AGE = int(os.environ.get("TKPK_SESSION_IDLE_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Repeated failed logins are throttled per username and address (django-axes).
AXES_FAILURE_LIMIT = int(os.environ.get("TKPK_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("TKPK_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "tkpk.security.client_ip"
# Reverse proxies in front of the application, for the address the throttle uses.
TKPK_PROXY_COUNT = int(os.environ.get("TKPK_PROXY_COUNT", "0"))

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_THOUSAND_SEPARATOR = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Makassar")
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "var" / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "var" / "media"))

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# Production hardening: everything below follows DEBUG, so `check --deploy` is clean.
if TKPK_PROXY_COUNT:
    # Only a proxy of ours may say the request came over HTTPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = 0 if DEBUG else int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content Security Policy (django-csp): scripts and styles come only from our own static
# files (no inline script, style or eval, so injected markup cannot run); Bootstrap draws
# its icons with data: SVGs. htmx is configured in templates/base.html to need no eval.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # WeasyPrint logs each step of every PDF and fontTools each font it subsets.
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# DTSEN loads: the largest file accepted, and how many errors/warnings a load keeps in
# the database (its error report keeps them all).
TKPK_DTSEN_MAX_BYTES = int(os.environ.get("TKPK_DTSEN_MAX_MB", "200")) * 1024 * 1024
TKPK_DTSEN_STORED_PROBLEMS = 200
# An .xlsx sheet larger than this (uncompressed XML; ~230,000 DTSEN rows) is streamed row
# by row: python-calamine is three times faster but holds the whole sheet (~2 GB at 1M).
TKPK_XLSX_STREAM_BYTES = 200 * 1024 * 1024
# A DTSEN file is read in a child process with these limits (households/dtsen/checking.py):
# its memory, its processor time, and how long it may go without reporting progress.
TKPK_DTSEN_READER_MEMORY_MB = int(os.environ.get("TKPK_DTSEN_READER_MEMORY_MB", "1024"))
TKPK_DTSEN_READER_CPU_SECONDS = int(os.environ.get("TKPK_DTSEN_READER_CPU_SECONDS", "1200"))
TKPK_DTSEN_READER_STALL_SECONDS = int(os.environ.get("TKPK_DTSEN_READER_STALL_SECONDS", "300"))
# A load whose worker has not said "alive" for this long was interrupted (worker killed).
TKPK_DTSEN_STALE_SECONDS = int(os.environ.get("TKPK_DTSEN_STALE_SECONDS", "60"))
# Reminders of late reports are also e-mailed to the agency's operators when an SMTP
# server is configured; without EMAIL_HOST they appear on the agency's home page only.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "tkpk@localhost")
EMAIL_TIMEOUT = 10

# Quarterly progress reports are due on this day of the month after the quarter, unless
# the secretariat sets another deadline for a year (programs.ReportDeadline).
TKPK_REPORT_DEADLINE_DAY = int(os.environ.get("TKPK_REPORT_DEADLINE_DAY", "10"))
if not 1 <= TKPK_REPORT_DEADLINE_DAY <= 28:
    raise ImproperlyConfigured(
        f"TKPK_REPORT_DEADLINE_DAY must be a day every month has (1 to 28), "
        f"not {TKPK_REPORT_DEADLINE_DAY}."
    )
# The largest document accepted (a signed commitment, evidence of a realisation).
TKPK_DOCUMENT_MAX_BYTES = int(os.environ.get("TKPK_DOCUMENT_MAX_MB", "10")) * 1024 * 1024
