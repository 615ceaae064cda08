"""Keep cached host routing in step with practices, sites and aliases."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Site

from practices.models import Practice, PracticeHostname, Testimonial
from practices.selectors import invalidate_host_routing


@receiver([post_save, post_delete], sender=Practice)
@receiver([post_save, post_delete], sender=PracticeHostname)
@receiver([post_save, post_delete], sender=Site)
def _host_routing_changed(**kwargs: object) -> None:
    # Now, for this process's next lookups, and again after commit, so that a
    # request that cached the old state while the transaction ran is corrected.
    invalidate_host_routing()
    transaction.on_commit(invalidate_host_routing)


@receiver([post_save, post_delete], sender=Testimonial)
def _testimonial_changed(instance: Testimonial, **kwargs: object) -> None:
    """The home page keeps its testimonials with the routed page: a change makes the
    practice's pages stale (page cache, routing, edge)."""
    from agency_platform.core.page_cache import invalidation

    site_ids = Practice.objects.filter(pk=instance.practice_id).values_list("site_id", flat=True)
    invalidation.invalidate(invalidation.targets_for_site_ids(set(site_ids)))
