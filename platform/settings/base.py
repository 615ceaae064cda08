"""Settings shared by every environment; safe defaults for production.

Every deploy-time value is read from the environment (see `.env.example`).
"""

from pathlib import Path

import environ

PLATFORM_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PLATFORM_DIR.parent

env = environ.Env()
# A developer may keep local values in `.env` (never committed); real deployments
# set the environment directly.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "practices",
    "blog",
    "demo_requests",
    "agency_platform.core",
    "agency_platform.media",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtailmarkdown",
    "modelcluster",
    "taggit",
    "django_filters",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "agency_platform.core.middleware.RequestIdMiddleware",
    "agency_platform.core.middleware.RequestScopeMiddleware",
    # Header-setting middleware first, so that every response (probes included)
    # carries the security headers and the Content-Security-Policy.
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "agency_platform.core.csp.PlatformCSPMiddleware",
    # Probes are answered before host validation (CommonMiddleware) and sessions:
    # load balancers call them by IP address.
    "agency_platform.core.middleware.HealthCheckMiddleware",
    # Anonymous visitors' pages from Redis: one round trip, before host routing,
    # sessions and auth (see agency_platform.core.page_cache).
    "agency_platform.core.page_cache.middleware.PageCacheMiddleware",
    # Unknown hosts, aliases and suspended practices are answered before any
    # session or page work.
    "practices.middleware.PracticeHostMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "practices.isolation.PracticeAdminIsolationMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "agency_platform.urls"
WSGI_APPLICATION = "agency_platform.wsgi.application"
ASGI_APPLICATION = "agency_platform.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PLATFORM_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "practices.context_processors.practice",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------
# PostgreSQL (psycopg 3) in tests and production; the demo command alone defaults to
# an embedded SQLite file.


def database_from_env(**kwargs) -> dict:
    """DATABASE_URL as a Django database dict, with psycopg's pool on for PostgreSQL."""
    db = env.db("DATABASE_URL", **kwargs)
    if db["ENGINE"] == "django.db.backends.postgresql":
        # The pool keeps connections warm across requests; Django requires
        # CONN_MAX_AGE = 0 when it is on.
        db["CONN_MAX_AGE"] = 0
        db.setdefault("OPTIONS", {})["pool"] = {
            "min_size": env.int("DB_POOL_MIN_SIZE", default=2),
            "max_size": env.int("DB_POOL_MAX_SIZE", default=10),
            "timeout": env.int("DB_POOL_TIMEOUT", default=10),
        }
    return db


DATABASES = {
    "default": database_from_env(default="postgres://postgres@127.0.0.1:5432/agency_platform")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "agency_platform.core.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="agency"),
        "TIMEOUT": 300,
        # Short: the backend fails open (a miss) when Redis is down or slow, and a
        # request must not wait long to find out (agency_platform.core.cache).
        "OPTIONS": {
            "socket_connect_timeout": env.float("CACHE_CONNECT_TIMEOUT", default=0.5),
            "socket_timeout": env.float("CACHE_SOCKET_TIMEOUT", default=0.5),
            "down_retry_seconds": env.float("CACHE_DOWN_RETRY_SECONDS", default=5),
        },
    }
}
# Wagtail looks renditions up in a cache named "renditions" before the database; a
# week-long entry keeps pages at their query budget (renditions never change in place).
CACHES["renditions"] = {
    **CACHES["default"],
    "KEY_PREFIX": CACHES["default"]["KEY_PREFIX"] + ":renditions",
    "TIMEOUT": 60 * 60 * 24 * 7,
}

# --- Celery (namespace CELERY_, read by agency_platform.celery_app) -----------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/1")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default="redis://127.0.0.1:6379/2")
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = 60 * 60 * 24
# A task is acknowledged only after it ran, and re-queued if its worker dies, so a
# crash never silently drops work; tasks must therefore be idempotent.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=120)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=180)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis re-delivers an unacknowledged message after the visibility timeout; it must
# exceed the longest countdown/ETA we schedule, or delayed tasks run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60 * 6}
CELERY_TIMEZONE = "UTC"
# Heavy media transfers (renditions, videos, practice moves) have their own queue, so a
# burst of uploads never delays lead delivery; run a worker with `-Q media` for it
# (the demo's single worker consumes both queues).
CELERY_TASK_ROUTES = {"agency_platform.media.tasks.*": {"queue": "media"}}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# A practice whose syndicated copy failed is retried after 60 s, 120 s, 240 s... (at
# most an hour apart), this many times; then only the job page's retry action is left.
SYNDICATION_RETRY_BACKOFF = env.int("SYNDICATION_RETRY_BACKOFF", default=60)
SYNDICATION_MAX_RETRIES = env.int("SYNDICATION_MAX_RETRIES", default=5)
CELERY_BEAT_SCHEDULE: dict = {
    "platform-heartbeat": {
        "task": "agency_platform.core.tasks.heartbeat",
        "schedule": 60.0,
    },
    "wagtail-publish-scheduled": {
        "task": "agency_platform.core.tasks.publish_scheduled",
        "schedule": 60.0,
    },
    "blog-resume-stale-syndication-jobs": {
        "task": "blog.tasks.resume_stale_syndication_jobs",
        "schedule": 300.0,
    },
    "demo-requests-dispatch-due-deliveries": {
        "task": "demo_requests.tasks.dispatch_due_deliveries",
        "schedule": 10.0,
    },
    "demo-requests-sweep-stuck-deliveries": {
        "task": "demo_requests.tasks.sweep_stuck_deliveries",
        "schedule": 60.0,
    },
    "demo-requests-daily-digests": {
        "task": "demo_requests.tasks.send_daily_digests",
        "schedule": 60.0 * 60 * 24,
    },
    "demo-requests-purge-expired-leads": {
        "task": "demo_requests.purge_expired_leads",
        "schedule": 60.0 * 60 * 24,
    },
}

# --- Internationalisation ------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and media ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
STATICFILES_DIRS = [PLATFORM_DIR / "static"]
# Media (images, renditions, documents, videos): local files, or S3 when
# AWS_STORAGE_BUCKET_NAME is set. STORAGES, MEDIA_*, WAGTAIL*_MODEL live there.
from .media import *  # noqa: E402, F403
from .media import MEDIA_ORIGINS  # noqa: E402

# --- Security (production-safe defaults; dev/test relax what they must) --------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Public pages: no inline script or style, no third-party origins. The admin gets a
# looser policy in PlatformCSPMiddleware because Wagtail's admin still inlines some.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *MEDIA_ORIGINS, *env.list("CSP_MEDIA_ORIGINS", default=[])],
        "media-src": ["'self'", *MEDIA_ORIGINS, *env.list("CSP_MEDIA_ORIGINS", default=[])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Wagtail -------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Agency platform"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://localhost:8000")
# Wagtail's database backend with a title-norm refresh that does not scan the whole
# index on every save (agency_platform/core/search.py).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "agency_platform.core.search"}}
# Wagtail's search and reference-index updates (django-tasks) run at once, except in
# a bulk write's batch, which runs each once at its end (agency_platform/core/tasks_backend.py).
TASKS = {"default": {"BACKEND": "agency_platform.core.tasks_backend.BatchingImmediateBackend"}}
# Team videos (mp4/webm) and their captions (vtt) are documents too.
WAGTAILDOCS_EXTENSIONS = [
    *["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"],
    *["mp4", "webm", "vtt"],
]
WAGTAILDOCS_MAX_UPLOAD_SIZE = env.int("WAGTAILDOCS_MAX_UPLOAD_SIZE", default=200 * 1024 * 1024)
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 15 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Email ---------------------------------------------------------------------------
EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="platform@localhost")

# --- Logging -------------------------------------------------------------------------
# Every record carries the request id; JSON in production (LOG_FORMAT=json). Personal
# data never goes into log messages: log ids, not names or e-mail addresses.
LOG_FORMAT = env("LOG_FORMAT", default="text")
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "agency_platform.core.logging.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "celery": {"level": "INFO"},
        # Wagtail 8 runs search/reference-index updates as django-tasks: one INFO
        # line per task is noise.
        "django_tasks": {"level": "WARNING"},
    },
}

# --- Practices -----------------------------------------------------------------------
# Port recorded on each practice's Wagtail Site: 443 makes Wagtail build https:// URLs.
PRACTICE_SITE_PORT = env.int("PRACTICE_SITE_PORT", default=443)
# Seconds the hostname -> practice map stays cached; changes invalidate it at once.
PRACTICE_HOST_CACHE_TIMEOUT = env.int("PRACTICE_HOST_CACHE_TIMEOUT", default=3600)

# --- Demo requests -------------------------------------------------------------------
# Spam protection: a form filled faster than this is refused (signed render time).
DEMO_REQUEST_MIN_FILL_SECONDS = env.float("DEMO_REQUEST_MIN_FILL_SECONDS", default=3)
# Fixed-window limits in Redis: "<count>/<window>" with s, m or h.
DEMO_REQUEST_RATE_LIMIT_PER_IP = env("DEMO_REQUEST_RATE_LIMIT_PER_IP", default="5/10m")
DEMO_REQUEST_RATE_LIMIT_PER_FORM = env("DEMO_REQUEST_RATE_LIMIT_PER_FORM", default="100/10m")
# No CAPTCHA provider is wired yet; setting one fails the system check demo_requests.E001.
DEMO_REQUEST_CAPTCHA_PROVIDER = None

# --- Lead delivery to CRMs (demo_requests.delivery) ----------------------------------
# Attempts per step (HubSpot: contact, note), and the time after which a lead's
# delivery stops being retried (48 h), whichever comes first. With the backoff capped at
# an hour (with jitter), 20 attempts per step last at least 7 h: the window is the usual limit, the
# budget stops a step that fails fast (a CRM answering garbage at once).
LEAD_DELIVERY_MAX_ATTEMPTS = env.int("LEAD_DELIVERY_MAX_ATTEMPTS", default=20)
LEAD_DELIVERY_RETRY_WINDOW_SECONDS = env.float(
    "LEAD_DELIVERY_RETRY_WINDOW_SECONDS", default=48 * 3600
)
LEAD_DELIVERY_BACKOFF_SECONDS = env.float("LEAD_DELIVERY_BACKOFF_SECONDS", default=30)
LEAD_DELIVERY_BACKOFF_MAX_SECONDS = env.float("LEAD_DELIVERY_BACKOFF_MAX_SECONDS", default=3600)
# Lease on a "sending" row and the sweeper's threshold; must exceed CELERY_TASK_TIME_LIMIT.
LEAD_DELIVERY_STUCK_SECONDS = env.float("LEAD_DELIVERY_STUCK_SECONDS", default=300)

from .performance import *  # noqa: E402, F403
