"""Test settings: PostgreSQL and Redis on this machine, separate Redis databases."""

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = env("SECRET_KEY", default="test-only-insecure-key")
DEBUG = False
# Host routing tests use many practice hostnames; unknown hosts are handled by the
# platform's own host routing, which the tests exercise.
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
REDIS_URL = env("TEST_REDIS_URL", default="redis://127.0.0.1:6379/15")
CACHES["default"]["LOCATION"] = REDIS_URL  # noqa: F405
CACHES["default"]["KEY_PREFIX"] = "test"  # noqa: F405
CACHES["renditions"]["LOCATION"] = REDIS_URL  # noqa: F405
CACHES["renditions"]["KEY_PREFIX"] = "test:renditions"  # noqa: F405
CELERY_BROKER_URL = env("TEST_CELERY_BROKER_URL", default="redis://127.0.0.1:6379/14")
CELERY_RESULT_BACKEND = env("TEST_CELERY_RESULT_BACKEND", default="redis://127.0.0.1:6379/13")
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "test-media")  # noqa: F405
if MEDIA_STORAGE == "local":  # noqa: F405
    STORAGES["documents"]["OPTIONS"]["location"] = f"{MEDIA_ROOT}-documents"  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://testserver"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
PRACTICE_SITE_PORT = 80
# Off unless a test turns it on (tests/page_cache): most tests measure real renders.
PAGE_CACHE_ENABLED = env.bool("PAGE_CACHE_ENABLED", default=False)
# Page-created/published lines from every provisioning would drown real failures.
LOGGING["root"]["level"] = env("LOG_LEVEL", default="WARNING")  # noqa: F405
