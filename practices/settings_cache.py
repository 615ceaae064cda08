"""Per-site data every public page needs, cached in Redis as one entry per site.

A public page of a practice needs its Site, its PracticeSettings (name, address,
phone, hours), its BrandSettings (logo, colours) and its main navigation. Read from
the database, that is five or more queries on every request; here it is one cache
read, attached to the request by PracticeHostMiddleware, so that Wagtail's own
`Site.find_for_request` and `BaseSiteSetting.for_request` (the `{{ settings }}`
template proxy) find it there and do not query.

The entry is kept under the practice's generation (core.freshness), which every
change to what it holds bumps: its settings or site, a logo image, a page published,
unpublished, moved or deleted (the navigation, the contact page), a view restriction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.http import HttpRequest
from wagtail.models import Page, PageViewRestriction, Site

from agency_platform.core import freshness, private_apis
from practices.models import BrandSettings, PracticeSettings

BUNDLE_KEY = "practices:site-bundle:v3:{site_id}"
BUNDLE_TIMEOUT = 60 * 60
# Settings models whose per-request instance is taken from the bundle.
CACHED_SETTINGS = (PracticeSettings, BrandSettings)
# Page types that can be a practice's contact page, registered by the feature app that
# provides one (demo_requests' AppConfig.ready): tenancy imports no feature.
CONTACT_PAGE_MODELS: list[type[Page]] = []


def register_contact_page(model: type[Page]) -> None:
    if model not in CONTACT_PAGE_MODELS:
        CONTACT_PAGE_MODELS.append(model)


def contact_page_under(home: Page) -> Page | None:
    """The practice's contact page: the first live page of a registered contact type
    under its home page (its request form: "Request an appointment", "Get a demo")."""
    for model in CONTACT_PAGE_MODELS:
        contact = model.objects.live().child_of(home).order_by("path").first()
        if contact is not None:
            return contact
    return None


@dataclass(frozen=True)
class NavItem:
    page_id: int
    title: str
    url: str


@dataclass
class SiteBundle:
    site: Site
    settings: dict[str, object] = field(default_factory=dict)
    navigation: list[NavItem] = field(default_factory=list)
    # (page path, restriction) of every view restriction on the site's pages or the
    # tree root: routing matches them by path prefix (practices.routing).
    view_restrictions: list[tuple[str, PageViewRestriction]] = field(default_factory=list)
    # The live request-an-appointment page (first DemoRequestPage under the home page):
    # the page itself, which every page embeds the form of.
    contact_page_id: int | None = None
    contact_url: str = ""
    contact_page: Page | None = None
    # Wagtail's SiteRootPaths of the sites that can hold this site's pages (rooted at,
    # above or below its home page), in Wagtail's order: URLs of the practice's pages
    # are built from these rather than from every site's (routing.PracticePageMixin).
    root_paths: tuple = ()

    def holds(self, url_path: str) -> bool:
        """Whether a page with this url_path is in the site's tree."""
        return url_path.startswith(self.site.root_page.url_path)


def _relative_url(page: Page, root_path: str) -> str:
    return "/" + page.url_path[len(root_path) :]


def _load_bundle(site_id: int) -> SiteBundle | None:
    site = Site.objects.select_related("root_page").filter(pk=site_id).first()
    if site is None:
        return None
    bundle = SiteBundle(site=site)
    home = site.root_page
    bundle.root_paths = tuple(
        root
        for root in Site.get_site_root_paths()
        if root.root_path.startswith(home.url_path) or home.url_path.startswith(root.root_path)
    )
    for model in CACHED_SETTINGS:
        queryset = model.base_queryset()
        if model is BrandSettings:
            queryset = queryset.select_related("logo")
        instance, _ = queryset.get_or_create(site=site)
        bundle.settings[model.get_cache_attr_name()] = instance
    menu = Page.objects.child_of(home).live().in_menu().order_by("path").only("title", "url_path")
    bundle.navigation = [
        NavItem(page.pk, page.title, _relative_url(page, home.url_path)) for page in menu
    ]
    contact = contact_page_under(home)
    if contact is not None:
        bundle.contact_page = contact
        bundle.contact_page_id = contact.pk
        bundle.contact_url = _relative_url(contact, home.url_path)
    restrictions = PageViewRestriction.objects.select_related("page").filter(
        Q(page__path__startswith=home.path) | Q(page__depth__lt=home.depth)
    )
    bundle.view_restrictions = [(r.page.path, r) for r in restrictions]
    return bundle


def site_bundle(
    site_id: int, hostname: str | None = None, request: HttpRequest | None = None
) -> SiteBundle | None:
    """The site's bundle: one Redis read when cached, six queries when not."""
    if hostname is None:
        hostname = Site.objects.filter(pk=site_id).values_list("hostname", flat=True).first()
        if hostname is None:
            return None
    key = BUNDLE_KEY.format(site_id=site_id)
    return freshness.kept(
        request, hostname, key, lambda: _load_bundle(site_id), timeout=BUNDLE_TIMEOUT,
        keep=lambda bundle: bundle is not None,
    )  # fmt: skip


def attach_to_request(request: HttpRequest, site_id: int) -> SiteBundle | None:
    """Put the site and its settings where Wagtail looks for them first (the caller
    also makes it current while the request is served: routing.serving)."""
    bundle = site_bundle(site_id, request.host_entry.canonical_host, request)
    if bundle is None:
        return None
    private_apis.set_site(request, bundle.site)
    for instance in bundle.settings.values():
        private_apis.bind_setting(instance, request)
    request.site_bundle = bundle
    return bundle


def bundle_for_request(request: HttpRequest) -> SiteBundle | None:
    """The bundle attached by the middleware, else the one of the request's site."""
    bundle = getattr(request, "site_bundle", None)
    if bundle is None:
        site = Site.find_for_request(request)
        bundle = site_bundle(site.pk, site.hostname, request) if site else None
    return bundle


def navigation_for_request(request: HttpRequest) -> list[NavItem]:
    bundle = bundle_for_request(request)
    return bundle.navigation if bundle else []
