"""The sitemap of a practice's site in three queries, whatever its size or page types.

Wagtail's default sitemap loads every page in its specific form: one query per page
type on top of the page list. A sitemap entry needs only the URL and the last
publication date, which are on the base page row, so pages stay base pages unless
their type customises `get_sitemap_urls` (then that page is made specific, so the
customisation still applies).
"""

from __future__ import annotations

from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from agency_platform.core import private_apis


class PracticeSitemap(Sitemap):
    def items(self):
        return (
            self.get_wagtail_site()
            .root_page.get_descendants(inclusive=True)
            .live()
            .public()
            .order_by("path")
            .defer_streamfields()
        )

    def _urls(self, page, protocol, domain):
        # Every item is a page of this site's tree, so Wagtail's URL building needs only
        # the root paths related to this site (routing.PracticePageMixin explains why):
        # base pages do not have the mixin, the request carries them instead.
        bundle = getattr(self.request, "site_bundle", None)
        if bundle is not None and bundle.root_paths:
            private_apis.set_site_root_paths(self.request, bundle.root_paths)
        urls = []
        last_mods = set()
        for item in self.paginator.page(page).object_list:
            page_class = item.specific_class
            if page_class is not None and page_class.get_sitemap_urls is not Page.get_sitemap_urls:
                item = item.specific
            for url_info in item.get_sitemap_urls(self.request):
                urls.append(url_info)
                last_mods.add(url_info.get("lastmod"))
        # As Wagtail's: no lastmod header when any entry lacks one (or none are public).
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls
