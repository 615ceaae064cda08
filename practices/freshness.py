"""What makes a practice's pages stale, in practices (core.freshness): the practice
itself (status, name: the host map and every page), its alias hostnames, its
settings, its brand and its testimonials (the home page keeps them with the routed
page). Team members are pages (core.wagtail_freshness)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from agency_platform.core import freshness
from agency_platform.core.freshness import Stale
from practices.models import (
    BrandSettings,
    Practice,
    PracticeHostname,
    PracticeSettings,
    Testimonial,
)


def _practice_changed(instance: Practice, **kwargs):
    # A deleted practice's site no longer names it: found by the site itself.
    return freshness.for_practices({instance.pk}) or freshness.for_sites({instance.site_id})


def _alias_changed(instance: PracticeHostname, **kwargs):
    return {
        instance.hostname.lower(): instance.practice_id,
        **freshness.for_practices({instance.practice_id}),
    }


def _settings_changed(instance, **kwargs):
    return freshness.for_sites({instance.site_id})


def _testimonial_changed(instance: Testimonial, **kwargs):
    return freshness.for_practices({instance.practice_id})


RULES = [
    Stale(signal, receiver, model)
    for model, receiver in (
        (Practice, _practice_changed),
        (PracticeHostname, _alias_changed),
        (PracticeSettings, _settings_changed),
        (BrandSettings, _settings_changed),
        (Testimonial, _testimonial_changed),
    )
    for signal in (post_save, post_delete)
]
