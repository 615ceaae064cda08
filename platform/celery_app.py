"""The Celery application, configured from Django settings (CELERY_ namespace).

Start a worker with `celery -A agency_platform.celery_app worker`.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agency_platform.settings.dev")

app = Celery("agency_platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
