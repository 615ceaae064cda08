"""Platform-wide Celery tasks."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="agency_platform.core.tasks.heartbeat", ignore_result=True)
def heartbeat() -> None:
    """Beat's periodic liveness mark: a missing line in the logs means beat is down."""
    logger.info("celery beat heartbeat")


@shared_task(name="agency_platform.core.tasks.ping")
def ping(value: str) -> dict[str, str]:
    """Round-trip probe used by operators and tests: proves broker, worker and backend."""
    import platform

    return {"echo": value, "system": platform.system()}


@shared_task(name="agency_platform.core.tasks.publish_scheduled", ignore_result=True)
def publish_scheduled() -> None:
    """Wagtail's scheduled publishing (go-live/expiry dates) runs only when this
    command runs: beat calls it every minute. It is idempotent."""
    from django.core.management import call_command

    call_command("publish_scheduled")
