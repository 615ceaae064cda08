"""Rendition lookups for page views: each rendition read once per image instance, and
never written back to the cache it was just read from.

Wagtail 8's `get_rendition` writes the rendition to the renditions cache on every call,
also when it came from that cache or from a prefetch, and `get_renditions` writes back
whatever it read from the cache; neither remembers what it found for a second call on
the same image. On a blog post page that was eight Redis writes and two repeated
reads per view. `RenditionLookupMixin` (on media.PracticeImage) keeps Wagtail's order:
prefetched renditions, then the cache (one MGET for all the filters asked together),
then Wagtail's own path for the rest (database, or generation), which caches what it
finds as before.

Wagtail's `{% image %}` tag builds a new Filter per render, which parses its spec into
operations again for every cache key; filters here are shared per spec (a Filter
depends on nothing but its spec), so each spec is parsed once per process.
"""

from __future__ import annotations

import functools

from wagtail.images.models import Filter

from agency_platform.core import private_apis


@functools.lru_cache(maxsize=512)
def shared_filter(spec: str) -> Filter:
    return Filter(spec=spec)


class RenditionLookupMixin:
    def _found_renditions(self) -> dict:
        # Per instance (a page view's image objects), keyed by the rendition cache key,
        # which includes the focal point: a changed focal point is a different entry.
        return self.__dict__.setdefault("_found_renditions_by_key", {})

    def get_renditions(self, *filters: Filter | str) -> dict:
        rendition_model = self.get_rendition_model()
        wanted = {}  # requested spec -> (cache key, cleaned filter)
        for requested in filters:
            spec = requested if isinstance(requested, str) else requested.spec
            cleaned = self.clean_filter_for_svg(shared_filter(spec))
            key = rendition_model.construct_cache_key(
                self, cleaned.get_cache_key(self), cleaned.spec
            )
            wanted[spec] = (key, cleaned)
        found = self._found_renditions()
        missing = {key: cleaned for key, cleaned in wanted.values() if key not in found}
        if missing and private_apis.prefetched_renditions(self) is not None:
            by_filter = self.find_existing_renditions(*missing.values())  # memory only
            for key, cleaned in list(missing.items()):
                if cleaned in by_filter:
                    found[key] = by_filter[cleaned]
                    del missing[key]
        elif missing:
            for key, rendition in rendition_model.cache_backend.get_many(list(missing)).items():
                rendition.image = self  # as Wagtail does for cached renditions
                found[key] = rendition
                del missing[key]
        if missing:
            made = super().get_renditions(*missing.values())
            for key, cleaned in missing.items():
                found[key] = made[cleaned.spec]
        return {spec: found[key] for spec, (key, _) in wanted.items()}

    def get_rendition(self, filter: Filter | str):
        spec = filter if isinstance(filter, str) else filter.spec
        return self.get_renditions(filter)[spec]
