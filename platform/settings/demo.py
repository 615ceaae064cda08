"""The demo command's embedded default: SQLite, a file cache and a SQLite Celery broker.

Nothing to install or start besides this project: `make demo` runs a real Celery
worker process against kombu's SQLAlchemy transport on a SQLite file. Point
DATABASE_URL / REDIS_URL / CELERY_BROKER_URL at real services to demo on them instead.
"""

import os

# `DEMO_MEDIA=s3 make demo`: media in a bucket of a local S3 API (moto's server, which
# run_demo starts), so the demo shows the per-practice keys. Set before the base
# settings read the environment; real AWS_* values in the environment win.
DEMO_MEDIA = os.environ.get("DEMO_MEDIA", "local")
DEMO_S3_PORT = int(os.environ.get("DEMO_S3_PORT", "9100"))
if DEMO_MEDIA == "s3":
    for _name, _value in {
        "AWS_STORAGE_BUCKET_NAME": "demo-media",
        "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{DEMO_S3_PORT}",
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_S3_URL_PROTOCOL": "http:",
        "AWS_ACCESS_KEY_ID": "demo",
        "AWS_SECRET_ACCESS_KEY": "demo",
    }.items():
        os.environ.setdefault(_name, _value)

from .base import BASE_DIR, env  # noqa: E402
from .dev import *  # noqa: E402, F403

VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

# moto keeps its bucket in memory, so the S3 demo has its own database, recreated at
# every start to match the fresh bucket.
_DEMO_DB = "demo-s3.sqlite3" if DEMO_MEDIA == "s3" else "demo.sqlite3"
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / _DEMO_DB}")}
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
