"""The demo command's embedded default: SQLite, a file cache and a SQLite Celery broker.

Nothing to install or start besides this project: `make demo` runs a real Celery
worker process against kombu's SQLAlchemy transport on a SQLite file. Point
DATABASE_URL / REDIS_URL / CELERY_BROKER_URL at real services to demo on them instead.
"""

from .base import BASE_DIR, env
from .dev import *  # noqa: F403

VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'demo.sqlite3'}")}
# SQLite + several processes (web, worker): wait for the write lock instead of failing.
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("timeout", 20)

if "REDIS_URL" not in env.ENVIRON:
    CACHES = {
        "default": {
            # Shared between the web and worker processes, unlike the local-memory cache.
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

CELERY_BROKER_URL = env(
    "CELERY_BROKER_URL", default=f"sqla+sqlite:///{VAR_DIR / 'celery-broker.sqlite3'}"
)
CELERY_RESULT_BACKEND = env(
    "CELERY_RESULT_BACKEND", default=f"db+sqlite:///{VAR_DIR / 'celery-results.sqlite3'}"
)
CELERY_BROKER_TRANSPORT_OPTIONS = {}
PRACTICE_SITE_PORT = env.int("PRACTICE_SITE_PORT", default=8000)
