"""Platform-wide Celery tasks."""

import logging

from celery import shared_task

from agency_platform.core.page_cache import purge

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


@shared_task(
    name="agency_platform.core.tasks.purge_cdn",
    ignore_result=True,
    autoretry_for=(purge.PurgeError,),
    # 5 s, 10 s, 20 s... capped at 10 minutes, with jitter; then the CDN's s-maxage
    # bounds how long it can serve the stale page.
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=6,
)
def purge_cdn(keys: list[str], hosts: list[str]) -> None:
    """Purge the CDN's copies of pages whose cache generation was bumped (page_cache)."""
    try:
        purge.purge(keys, hosts)
    except purge.PurgeRejectedError:
        logger.exception("CDN purge refused: keys=%s", keys)
