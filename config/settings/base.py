"""Settings shared by every environment, read from the environment (django-environ)."""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-key-change-me-0123456789-abcdefghijklmnop")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
SITE_URL = env("CONCORD_SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # allauth.mfa and allauth.usersessions pages use its filters ("2 hours ago").
    "django.contrib.humanize",
    "django.contrib.sites",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "core",
    "audit",
    "accounts",
    "jobs",
    "privacy",
    "trainings",
    "participants",
    "exercises",
    "conduct",
    "reflections",
    "certificates",
    "reports",
    "portal",
    "demo",
]

MIDDLEWARE = [
    # First: the container's probe must pass before the host check and the HTTPS redirect.
    "core.middleware.LivenessMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the body (CsrfViewMiddleware reads request.POST).
    "core.middleware.RequestSizeLimitMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.SessionIdleTimeoutMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "audit.middleware.AuditContextMiddleware",
    # Django's LocaleMiddleware, after the user is known: their language, the cookie, then the browser's.
    "core.middleware.InterfaceLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.tz",
                "accounts.context_processors.role_flags",
                "core.context_processors.ui_languages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default: write-ahead log, so that readers and the writer do not block each other, and a
    # commit appends to the log without waiting for the disk (synchronous=NORMAL; the log is synced when it
    # is checkpointed). A commit survives the process crashing; a power cut may lose the last ones.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    # Django's list of about 20,000 passwords common in breaches.
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Signed-in sessions end after this long without a request (core.middleware.SessionIdleTimeoutMiddleware).
CONCORD_SESSION_IDLE_SECONDS = env.int("CONCORD_SESSION_IDLE_SECONDS", default=8 * 60 * 60)
SESSION_COOKIE_AGE = CONCORD_SESSION_IDLE_SECONDS
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"

# django-allauth: email is the login; accounts are created by coordinators, not by sign-up.
SITE_ID = 1
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False

# Second factors (allauth.mfa): TOTP with recovery codes, and WebAuthn security keys. Coordinators and
# facilitators must have one, this many days after their first sign-in (accounts.second_factor).
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "Concord"
MFA_PASSKEY_LOGIN_ENABLED = False
# allauth refuses a factor to an address nobody verified (against sign-up squatting); Concord has no
# sign-up: coordinators create the accounts, so the addresses are the people's own.
MFA_ALLOW_UNVERIFIED_EMAIL = True
# Security keys need HTTPS, except on a developer's own http://localhost.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
CONCORD_MFA_GRACE_DAYS = env.int("CONCORD_MFA_GRACE_DAYS", default=7)
# People see their signed-in sessions and end them (allauth.usersessions).
USERSESSIONS_TRACK_ACTIVITY = False

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("pl", _("Polish")),
    ("de", _("German")),
    ("ro", _("Romanian")),
    ("bg", _("Bulgarian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Languages whose interface catalogue is complete: only these are offered by the language switcher and
# ever declared on a page (core.middleware.InterfaceLanguageMiddleware). LANGUAGES also lists those of
# certificates, e-mails, content and people's preferences, which may come before the interface is translated.
CONCORD_UI_LANGUAGES = env.list("CONCORD_UI_LANGUAGES", default=[code for code, _name in LANGUAGES])
# Dates and times as a reader of each language expects them (config/formats/<language>/formats.py):
# "15 Dec 2026", 24-hour times, never Django's English "Dec. 15, 2026".
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploads (handouts, rosters, exercise lists) above this size are refused.
CONCORD_MAX_UPLOAD_BYTES = env.int("CONCORD_MAX_UPLOAD_BYTES", default=5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = CONCORD_MAX_UPLOAD_BYTES
# Whole request bodies above this are refused by their Content-Length, unread
# (core.middleware.RequestSizeLimitMiddleware): room for one upload and its multipart framing.
CONCORD_MAX_REQUEST_BYTES = env.int("CONCORD_MAX_REQUEST_BYTES", default=10 * 1024 * 1024)
if CONCORD_MAX_REQUEST_BYTES <= CONCORD_MAX_UPLOAD_BYTES:
    raise ImproperlyConfigured("CONCORD_MAX_REQUEST_BYTES must be larger than CONCORD_MAX_UPLOAD_BYTES.")

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="Concord <noreply@concord.local>")

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # The cache shares the broker's Redis: while it is down, cache calls are misses, not 500s.
    CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "RETRY_AFTER": 5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: without REDIS_URL tasks run in-process, so a laptop needs no broker.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
# Publishing never holds a web request for more than about a second: requests queue tasks through
# core.outbox, which publishes once without retries (the beat sweep retries); these bound each try.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True  # workers wait for Redis at start (and, by default, after a loss)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 1,
    "socket_timeout": 1,  # the worker's BRPOP waits on its event loop, not on this timeout
    "max_retries": 0,  # a first connection that fails is not retried inside a publish
    # A message not acknowledged within this time is given to another worker: above every task's
    # time limit and every countdown (retry backoff stops at 600 s), or long tasks would run twice.
    "visibility_timeout": 3600,
}
# Long tasks: acknowledged when done, requeued if their worker dies, one at a time per process.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_TIME_LIMIT = 300
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "outbox-sweep": {
        "task": "core.tasks.outbox_sweep_task",
        "schedule": 30.0,
        # Sweeps that waited in the queue (workers busy, broker back after an outage) are dropped.
        "options": {"expires": 25},
    },
    "outbox-purge": {"task": "core.tasks.outbox_purge_task", "schedule": 86400.0, "options": {"expires": 3600}},
    # Planned injects of runs with auto-release on; a late tick is dropped, the next one catches up.
    "injects-release-due": {
        "task": "conduct.tasks.injects_release_due_task",
        "schedule": 10.0,
        "options": {"expires": 9},
    },
    # Jobs whose broker message or worker was lost are queued again (jobs.services.jobs_requeue_stale).
    "jobs-requeue-stale": {"task": "jobs.tasks.jobs_requeue_stale_task", "schedule": 60.0, "options": {"expires": 50}},
    # Result files of jobs past their expiry are deleted; the job rows stay.
    "jobs-purge-expired": {
        "task": "jobs.tasks.jobs_purge_expired_task",
        "schedule": 3600.0,
        "options": {"expires": 3000},
    },
    # Reflection reminders due (reflections.Reminder): a table swept every five minutes, no long countdowns.
    "reflection-reminders": {
        "task": "reflections.tasks.reflection_reminders_sweep_task",
        "schedule": 300.0,
        "options": {"expires": 240},
    },
    # Audit entries written since the last run are chained (audit.services.audit_seal).
    "audit-seal": {
        "task": "audit.tasks.audit_seal_task",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Roster files (and their parsed rows) older than CONCORD_ROSTER_FILE_DAYS are deleted; the imports stay.
    "roster-files-purge": {
        "task": "participants.tasks.roster_files_purge_task",
        "schedule": 86400.0,
        "options": {"expires": 3600},
    },
    # Improvement actions not done, 30, 60 and 90 days after they were written (reports.ActionReminder).
    # The people of cohorts that ended CONCORD_RETENTION_COHORT_DAYS ago are anonymised (privacy.services).
    "privacy-retention-sweep": {
        "task": "privacy.tasks.retention_sweep_task",
        "schedule": 86400.0,
        "options": {"expires": 3600},
    },
    "improvement-action-reminders": {
        "task": "reports.tasks.action_reminders_sweep_task",
        "schedule": 86400.0,
        "options": {"expires": 3600},
    },
}

# How long a job's result file (certificates ZIP, report) can be downloaded, unless its kind says otherwise.
CONCORD_JOB_RESULT_DAYS = env.int("CONCORD_JOB_RESULT_DAYS", default=7)
# Roster imports with more rows than this are committed by a background job, with a progress bar.
CONCORD_ROSTER_JOB_ROWS = env.int("CONCORD_ROSTER_JOB_ROWS", default=500)
# Certificates: the issuer printed when a cohort's policy names none; how long a cohort's ZIP is kept;
# how many verification lookups one client address may make (page and API together).
CONCORD_CERTIFICATE_ISSUER = env("CONCORD_CERTIFICATE_ISSUER", default="Concord training programme")
CONCORD_CERTIFICATE_ZIP_HOURS = env.int("CONCORD_CERTIFICATE_ZIP_HOURS", default=48)
CONCORD_CERTIFICATE_VERIFY_RATE = env("CONCORD_CERTIFICATE_VERIFY_RATE", default="30/min")

# Personal data (privacy; shown on the privacy notice). A person's data export can be downloaded for
# this many hours; roster files (and their parsed rows) are deleted this many days after the upload;
# the people of cohorts that ended this many days ago are anonymised by the retention sweep, unless a
# coordinator holds the cohort with a reason.
CONCORD_PRIVACY_EXPORT_HOURS = env.int("CONCORD_PRIVACY_EXPORT_HOURS", default=72)
CONCORD_ROSTER_FILE_DAYS = env.int("CONCORD_ROSTER_FILE_DAYS", default=30)
CONCORD_RETENTION_COHORT_DAYS = env.int("CONCORD_RETENTION_COHORT_DAYS", default=3 * 365)
# Whom people write to about their personal data (an e-mail address, shown on the privacy notice); blank: none.
CONCORD_PRIVACY_CONTACT = env("CONCORD_PRIVACY_CONTACT", default="")

# The proxies in front of Django that we run (docker-compose's Caddy: 1). Client addresses for rate
# limits are read from X-Forwarded-For only that many entries from its end; with 0 the header is
# ignored, since a client can write anything there. One setting for DRF's throttles and allauth's limits.
CONCORD_TRUSTED_PROXY_COUNT = env.int("CONCORD_TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = CONCORD_TRUSTED_PROXY_COUNT

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: anonymous requests then get 401 with a WWW-Authenticate header, not 403.
        # Knox keeps only a hash of each token, and tokens expire (REST_KNOX below).
        "accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    # The browsable API is dropped outside DEBUG by core.negotiation.ContentNegotiation: JSON only.
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "core.negotiation.ContentNegotiation",
    # Documents the one error shape (core.api.ErrorSerializer) on every operation.
    "DEFAULT_SCHEMA_CLASS": "core.api.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_THROTTLE_RATES": {
        # API sign-in (accounts.throttling): per client address, and per account from any address.
        "token_login": env("CONCORD_TOKEN_LOGIN_RATE", default="5/min"),
        "token_login_account": env("CONCORD_TOKEN_LOGIN_ACCOUNT_RATE", default="20/hour"),
        # Public certificate verification, per client address (certificates.throttling).
        "certificate_verify": CONCORD_CERTIFICATE_VERIFY_RATE,
    },
    # Client addresses for throttles: see CONCORD_TRUSTED_PROXY_COUNT.
    "NUM_PROXIES": CONCORD_TRUSTED_PROXY_COUNT,
}
# API tokens (django-rest-knox): stored as SHA-512 digests, valid for CONCORD_API_TOKEN_TTL_HOURS,
# all revoked when the password changes (accounts.services.api_tokens_revoke).
CONCORD_API_TOKEN_TTL_HOURS = env.int("CONCORD_API_TOKEN_TTL_HOURS", default=10)
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=CONCORD_API_TOKEN_TTL_HOURS),
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
}
# A new sign-in past this many live tokens drops the account's oldest token.
CONCORD_API_TOKENS_PER_USER = env.int("CONCORD_API_TOKENS_PER_USER", default=10)

SPECTACULAR_SETTINGS = {
    "TITLE": "Concord API",
    "DESCRIPTION": "Inter-agency anti-trafficking training: courses, cohorts, exercises, participants.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Served from static/: the platform must work without internet access.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Content-Security-Policy (django-csp 4): scripts and styles only from our own static files. No
# template has an inline script, event handler or style attribute; keep it so (core/tests).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Permissions-Policy (core.middleware.PermissionsPolicyMiddleware): browser features no page uses.
CONCORD_PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
}
