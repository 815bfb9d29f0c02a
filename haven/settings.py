"""Haven settings: one module, driven by environment variables.

Defaults are safe for a laptop (SQLite under ./var, a generated secret and
encryption key stored under ./var). Production sets HAVEN_ENV=production and
supplies every secret through the environment.
"""
from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from haven.crypto.keyring import local_secret

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HAVEN_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


HAVEN_ENV = os.environ.get("HAVEN_ENV", "development")
PRODUCTION = HAVEN_ENV == "production"
DEBUG = env_bool("HAVEN_DEBUG", not PRODUCTION)

# In production the secret must come from the environment; on a laptop one is
# generated once and kept in ./var so sessions survive restarts.
SECRET_KEY = os.environ.get("HAVEN_SECRET_KEY") or (
    "" if PRODUCTION else local_secret(VAR_DIR / "secret-key.txt")
)
if PRODUCTION and not SECRET_KEY:
    raise RuntimeError("HAVEN_SECRET_KEY must be set when HAVEN_ENV=production")

ALLOWED_HOSTS = env_list("HAVEN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("HAVEN_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "haven.web.admin_apps.HavenAdminConfig",  # django.contrib.admin, every change audited
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    "axes",
    "haven.crypto",
    "haven.audit",
    "haven.accounts",
    "haven.people",
    "haven.cases",
    "haven.claims",
    "haven.transfer",
    "haven.demo",
    "haven.matching",
    "haven.stats",
    "haven.sponsorship",
    "haven.settlement",
    "haven.casework",
    "haven.funds",
    "haven.web",
]

MIDDLEWARE = [
    "haven.web.requestlog.RequestIdMiddleware",  # first: every later log line knows its request
    "django.middleware.security.SecurityMiddleware",
    "haven.web.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "haven.accounts.middleware.IdleSessionRefreshMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "haven.accounts.middleware.RequireTwoFactorMiddleware",
    "haven.accounts.middleware.RequirePasswordChangeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "haven.audit.middleware.RequestContextMiddleware",
    # Axes must be last so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "haven.urls"
WSGI_APPLICATION = "haven.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "haven" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "haven.web.context_processors.haven",
            ],
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'haven.sqlite3'}"),
        conn_max_age=int(os.environ.get("HAVEN_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets readers proceed while the audit log is written.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    DATABASES["default"]["OPTIONS"]["timeout"] = 20
AUTH_USER_MODEL = "accounts.User"
# The deadlines index carries INCLUDE columns on PostgreSQL (an index-only scan for the deadlines page);
# SQLite ignores them and says so on every command.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Lock-out after repeated failures (django-axes).
AXES_FAILURE_LIMIT = int(os.environ.get("HAVEN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("HAVEN_LOGIN_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = env_bool("HAVEN_AXES_ENABLED", True)

# Sessions expire after a period of inactivity and on browser close.
SESSION_COOKIE_AGE = int(os.environ.get("HAVEN_SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = False  # see haven.accounts.middleware.IdleSessionRefreshMiddleware
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = env_bool("HAVEN_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = int(os.environ.get("HAVEN_HSTS_SECONDS", "31536000" if PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("HAVEN_BEHIND_PROXY", False) else None
X_FRAME_OPTIONS = "DENY"
OTP_TOTP_ISSUER = "Haven"
# Roles that must use two-factor authentication before seeing anything.
HAVEN_2FA_REQUIRED_ROLES = env_list("HAVEN_2FA_REQUIRED_ROLES", "admin")

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("ko", _("Korean"))]
LOCALE_PATHS = [BASE_DIR / "haven" / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("HAVEN_TIME_ZONE", "America/Toronto")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Project-wide assets (base CSS, vendored htmx) live in haven/static, which is not an app directory.
STATICFILES_DIRS = [BASE_DIR / "haven" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# Attachments are stored encrypted in the database; this caps one upload.
HAVEN_MAX_UPLOAD_BYTES = int(os.environ.get("HAVEN_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = HAVEN_MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = HAVEN_MAX_UPLOAD_BYTES + 1024 * 1024

# Encryption at rest: comma-separated Fernet keys, newest first. A laptop run
# generates one under ./var and says where (see haven.crypto.keyring).
HAVEN_ENCRYPTION_KEYS = env_list("HAVEN_ENCRYPTION_KEYS")
HAVEN_LOCAL_KEY_FILE = VAR_DIR / "encryption-keys.txt"
HAVEN_ALLOW_LOCAL_KEY = not PRODUCTION

# The audit chain's MAC keys (haven.audit.keys): comma-separated, newest first; generated under ./var on a laptop.
# Never stored in the database. The chain's head is checkpointed outside the database (haven.audit.checkpoint):
# an append-only file, plus `syslog`, `syslog:HOST:PORT` or an https:// webhook.
HAVEN_AUDIT_KEYS = env_list("HAVEN_AUDIT_KEYS")
HAVEN_LOCAL_AUDIT_KEY_FILE = VAR_DIR / "audit-keys.txt"
HAVEN_AUDIT_CHECKPOINT_FILE = Path(os.environ.get("HAVEN_AUDIT_CHECKPOINT_FILE", VAR_DIR / "audit-checkpoints.log"))
HAVEN_AUDIT_CHECKPOINT_TARGETS = env_list("HAVEN_AUDIT_CHECKPOINT_TARGETS")

# Deadlines (docs/deadline-rules.md). Run `haven deadlines recompute` after changing these two: stored deadlines are
# not recomputed by themselves. Count the days federal offices, the Board's included, close beyond the
# Interpretation Act s.35(1) holidays (Boxing Day, the Monday after a Sunday New Year's Day or Remembrance Day) as
# holidays everywhere; off, they count only through a province's law or where that gives the earlier date.
HAVEN_DEADLINE_FEDERAL_OFFICE_CLOSURES = env_bool("HAVEN_DEADLINE_FEDERAL_OFFICE_CLOSURES", False)
# Also count the provincial statutory days whose interpretation-act source was not verified (haven.claims.holiday_law).
HAVEN_DEADLINE_UNVERIFIED_PROVINCIAL_HOLIDAYS = env_bool("HAVEN_DEADLINE_UNVERIFIED_PROVINCIAL_HOLIDAYS", False)

# Bulk loads on PostgreSQL (haven.db.bulk.bulk_load): large claims imports and first deadline computations
# drop foreign keys and indexes, write, and add them back, locking the tables meanwhile. Switches and the memory
# each index build may use (PostgreSQL's maintenance_work_mem, for that transaction only).
HAVEN_DEADLINE_BULK_RECOMPUTE = env_bool("HAVEN_DEADLINE_BULK_RECOMPUTE", True)
HAVEN_IMPORT_BULK_LOAD = env_bool("HAVEN_IMPORT_BULK_LOAD", True)
HAVEN_BULK_MAINTENANCE_WORK_MEM = os.environ.get("HAVEN_BULK_MAINTENANCE_WORK_MEM", "256MB")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "haven.api.pagination.HavenPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min"},
    "EXCEPTION_HANDLER": "haven.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Haven API",
    "DESCRIPTION": "Case management for refugee protection and private sponsorship. "
    "Every endpoint applies the same record-level access rules as the web UI: "
    "records you may not see answer 404.",
    "VERSION": "1",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No online validator badge (Swagger UI would fetch it from validator.swagger.io); the ReDoc page's template
    # (haven/templates/drf_spectacular/redoc.html) drops drf-spectacular's Google Fonts links.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
    # Error answers every operation shares, documented once (haven/api/schema.py).
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "haven.api.schema.add_error_responses"],
    # Settlement's choice sets share field names (kind, status) with the cases': each gets its own name.
    "ENUM_NAME_OVERRIDES": {
        "AssessmentKindEnum": "haven.settlement.models.Assessment.Kind",
        "ProviderKindEnum": "haven.settlement.models.Provider.Kind",
        "MilestoneKindEnum": "haven.settlement.models.Milestone.Kind",
        "GoalStatusEnum": "haven.settlement.models.Goal.Status",
        "ReferralStatusEnum": "haven.settlement.models.Referral.Status",
        "CountryCodeEnum": "haven.api.schema.country_codes",
    },
}

EMAIL_BACKEND = os.environ.get("HAVEN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("HAVEN_FROM_EMAIL", "haven@localhost")

# Logs: JSON lines on stderr, each with its request id (haven.web.requestlog; docs/operations.md). HAVEN_LOG_FORMAT=text
# gives plain lines for a developer's terminal; HAVEN_ACCESS_LOG=1 adds one line per request (haven.request).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "haven.web.requestlog.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "haven.web.requestlog.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"],
                             "formatter": "text" if os.environ.get("HAVEN_LOG_FORMAT") == "text" else "json"}},
    "root": {"handlers": ["console"], "level": os.environ.get("HAVEN_LOG_LEVEL", "WARNING")},
    "loggers": {"haven.request": {"level": "INFO" if env_bool("HAVEN_ACCESS_LOG", False) else "WARNING"}},
}
