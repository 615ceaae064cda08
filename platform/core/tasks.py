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
