"""Production: refuses to start without its secrets; HTTPS everywhere; JSON logs."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import LOGGING, database_from_env, env

DEBUG = False
# No defaults here on purpose: a missing value stops the process at start-up.
SECRET_KEY = env("SECRET_KEY")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name at least one host.")
DATABASES = {"default": database_from_env()}

# TLS terminates at the load balancer, which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

LOGGING["handlers"]["console"]["formatter"] = env("LOG_FORMAT", default="json")

# Measuring only (infra/bench run.py's `cold` mode): every cache alias ("default", and
# "renditions") is Django's DummyCache, so nothing is kept between requests and each
# view routes, queries and renders from the database; the page cache, which lives in
# the default cache, is off with it. Default off: never set it on a real deployment.
if env.bool("CACHE_DISABLED", default=False):
    CACHES = {alias: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"} for alias in CACHES}  # noqa: F405
    PAGE_CACHE_ENABLED = False
