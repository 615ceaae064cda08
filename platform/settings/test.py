"""Test settings: PostgreSQL and Redis on this machine, separate Redis databases."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

# pytest-xdist runs the suite in several processes (`make test` uses -n auto) and names
# them gw0, gw1... in PYTEST_XDIST_WORKER. pytest-django gives each its own PostgreSQL
# database; each also needs its own Redis databases, since every test starts by
# flushing the cache, and its own media folder. Worker n uses the configured database
# numbers minus 3n. Child processes (Celery workers, servers started by tests) get the
# results, not the variable (tests/conftest.py: subprocess_env).
XDIST_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)


def redis_for_worker(url: str) -> str:
    base, _, number = url.rpartition("/")
    shifted = int(number) - 3 * XDIST_WORKER
    if shifted < 0:
        raise ImproperlyConfigured(
            f"{url}: no Redis database left for xdist worker gw{XDIST_WORKER}; "
            "run fewer workers (-n) or configure higher TEST_*_URL database numbers."
        )
    return f"{base}/{shifted}"


SECRET_KEY = env("SECRET_KEY", default="test-only-insecure-key")
DEBUG = False
# Host routing tests use many practice hostnames; unknown hosts are handled by the
# platform's own host routing, which the tests exercise.
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
REDIS_URL = redis_for_worker(env("TEST_REDIS_URL", default="redis://127.0.0.1:6379/15"))
CACHES["default"]["LOCATION"] = REDIS_URL  # noqa: F405
CACHES["default"]["KEY_PREFIX"] = "test"  # noqa: F405
CACHES["renditions"]["LOCATION"] = REDIS_URL  # noqa: F405
CACHES["renditions"]["KEY_PREFIX"] = "test:renditions"  # noqa: F405
CELERY_BROKER_URL = redis_for_worker(
    env("TEST_CELERY_BROKER_URL", default="redis://127.0.0.1:6379/14")
)
CELERY_RESULT_BACKEND = redis_for_worker(
    env("TEST_CELERY_RESULT_BACKEND", default="redis://127.0.0.1:6379/13")
)
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "test-media")  # noqa: F405
if XDIST_WORKER:
    MEDIA_ROOT = f"{MEDIA_ROOT}-gw{XDIST_WORKER}"
DOCUMENTS_ROOT = f"{MEDIA_ROOT}-documents"
if MEDIA_STORAGE == "local":  # noqa: F405
    STORAGES["documents"]["OPTIONS"]["location"] = DOCUMENTS_ROOT  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://testserver"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
PRACTICE_SITE_PORT = 80
# Off unless a test turns it on (tests/page_cache): most tests measure real renders.
# Seconds, and two automatic retries: a test sees them used up within ~3 s.
SYNDICATION_RETRY_BACKOFF = 1
SYNDICATION_MAX_RETRIES = 2
PAGE_CACHE_ENABLED = env.bool("PAGE_CACHE_ENABLED", default=False)
# Page-created/published lines from every provisioning would drown real failures.
LOGGING["root"]["level"] = env("LOG_LEVEL", default="WARNING")  # noqa: F405
