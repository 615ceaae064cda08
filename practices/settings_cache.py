"""Per-site data every public page needs, cached in Redis as one entry per site.

A public page of a practice needs its Site, its PracticeSettings (name, address,
phone, hours), its BrandSettings (logo, colours) and its main navigation. Read from
the database, that is five or more queries on every request; here it is one cache
read, attached to the request by PracticeHostMiddleware, so that Wagtail's own
`Site.find_for_request` and `BaseSiteSetting.for_request` (the `{{ settings }}`
template proxy) find it there and do not query.

The entry is deleted whenever something in it changes: the settings or the site
saved or deleted, a logo image changed, a page at the top of a practice's tree
(the navigation) saved, published, unpublished, moved or deleted. Deletion runs at
once and again after commit, so a request that re-cached the old state while the
transaction ran is corrected.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.http import HttpRequest
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from practices.models import BrandSettings, PracticeSettings

BUNDLE_KEY = "practices:site-bundle:v2:{site_id}"
# Invalidation is explicit; the timeout only bounds a rare race (a request that read
# the old rows just before a commit and stores them just after its invalidation).
BUNDLE_TIMEOUT = 60 * 60
# Settings models whose per-request instance is taken from the bundle.
CACHED_SETTINGS = (PracticeSettings, BrandSettings)
# Home page depth: root (1) > practice home (2) > its children, the navigation (3).
NAVIGATION_DEPTH = 3


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
    from demo_requests.models import DemoRequestPage

    contact = DemoRequestPage.objects.live().child_of(home).order_by("path").first()
    if contact is not None:
        bundle.contact_page = contact
        bundle.contact_page_id = contact.pk
        bundle.contact_url = _relative_url(contact, home.url_path)
    restrictions = PageViewRestriction.objects.select_related("page").filter(
        Q(page__path__startswith=home.path) | Q(page__depth__lt=home.depth)
    )
    bundle.view_restrictions = [(r.page.path, r) for r in restrictions]
    return bundle


def site_bundle(site_id: int) -> SiteBundle | None:
    """The site's bundle: one Redis read when cached, six queries when not."""
    key = BUNDLE_KEY.format(site_id=site_id)
    bundle = cache.get(key)
    if bundle is None:
        bundle = _load_bundle(site_id)
        if bundle is not None:
            cache.set(key, bundle, timeout=BUNDLE_TIMEOUT)
    return bundle


def attach_to_request(request: HttpRequest, site_id: int) -> SiteBundle | None:
    """Put the site and its settings where Wagtail looks for them first (the caller
    also makes it current while the request is served: routing.serving)."""
    bundle = site_bundle(site_id)
    if bundle is None:
        return None
    request._wagtail_site = bundle.site
    for attr_name, instance in bundle.settings.items():
        instance._request = request  # as BaseSiteSetting.for_request does
        setattr(request, attr_name, instance)
    request.site_bundle = bundle
    return bundle


def bundle_for_request(request: HttpRequest) -> SiteBundle | None:
    """The bundle attached by the middleware, else the one of the request's site."""
    bundle = getattr(request, "site_bundle", None)
    if bundle is None:
        site = Site.find_for_request(request)
        bundle = site_bundle(site.pk) if site else None
    return bundle


def navigation_for_request(request: HttpRequest) -> list[NavItem]:
    bundle = bundle_for_request(request)
    return bundle.navigation if bundle else []


# --- invalidation --------------------------------------------------------------------


def invalidate_sites(site_ids) -> None:
    keys = [BUNDLE_KEY.format(site_id=site_id) for site_id in set(site_ids)]
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def invalidate_all_sites() -> None:
    invalidate_sites(Site.objects.values_list("pk", flat=True))


def _sites_of_page(page: Page) -> list[int]:
    """Sites whose tree holds the page: those rooted at the page or an ancestor. One
    indexed query; reading Wagtail's cached root paths instead costs a list of every
    site per page saved (and a rebuild after each new site: provisioning grew with N)."""
    path, step = page.path or "", Page.steplen
    ancestors = [path[:end] for end in range(step, len(path) + 1, step)]
    if not ancestors:
        return []
    return list(Site.objects.filter(root_page__path__in=ancestors).values_list("pk", flat=True))


def _settings_changed(sender, instance, **kwargs) -> None:
    invalidate_sites([instance.site_id])


def _site_changed(sender, instance, created: bool = False, **kwargs) -> None:
    # Every bundle lists the root paths of the sites related to its own (root_paths):
    # a site added, re-rooted or removed anywhere may belong in another site's list.
    # A new site belongs only in the lists of sites rooted above or below it (a new
    # practice's tree has none): provisioning must not cost one key per practice.
    # Other changes are rare (hostnames, re-rooting), so all bundles go.
    if created:
        invalidate_sites(_related_sites(instance))
    else:
        invalidate_all_sites()


def _related_sites(site: Site) -> list[int]:
    path = Page.objects.filter(pk=site.root_page_id).values_list("path", flat=True).first()
    if path is None:
        return [site.pk]
    step = Page.steplen
    above = [path[:end] for end in range(step, len(path) + 1, step)]
    related = Site.objects.filter(
        Q(root_page__path__in=above) | Q(root_page__path__startswith=path)
    )
    return [site.pk, *related.values_list("pk", flat=True)]


def _image_changed(sender, instance, **kwargs) -> None:
    # Only logos are in the bundle; most image saves touch no site.
    invalidate_sites(BrandSettings.objects.filter(logo=instance).values_list("site_id", flat=True))


def _page_changed(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page) and (instance.depth or 0) <= NAVIGATION_DEPTH:
        invalidate_sites(_sites_of_page(instance))


def _restriction_changed(sender, instance, **kwargs) -> None:
    page = Page.objects.filter(pk=instance.page_id).only("depth", "url_path").first()
    if page is None or page.depth < NAVIGATION_DEPTH - 1:  # gone, or the tree root
        invalidate_all_sites()
    else:
        invalidate_sites(_sites_of_page(page))


def _page_moved(sender, instance, **kwargs) -> None:
    # Rare, and both the old and the new place may be navigation: every site.
    invalidate_all_sites()


def connect_signals() -> None:
    """Called once from PracticesConfig.ready()."""
    for model in CACHED_SETTINGS:
        post_save.connect(_settings_changed, sender=model, dispatch_uid=f"bundle-{model}")
        post_delete.connect(_settings_changed, sender=model, dispatch_uid=f"bundle-del-{model}")
    post_save.connect(_site_changed, sender=Site, dispatch_uid="bundle-site")
    post_delete.connect(_site_changed, sender=Site, dispatch_uid="bundle-site-del")
    image_model = get_image_model()
    post_save.connect(_image_changed, sender=image_model, dispatch_uid="bundle-image")
    # Deleting a logo sets BrandSettings.logo to NULL without a save signal: clear
    # the bundle while the image can still be found in BrandSettings.
    pre_delete.connect(_image_changed, sender=image_model, dispatch_uid="bundle-image-del")
    # Page subclasses send their own signals: listen to all senders, keep pages only.
    post_save.connect(_page_changed, dispatch_uid="bundle-page")
    post_delete.connect(_page_changed, dispatch_uid="bundle-page-del")
    page_published.connect(_page_changed, dispatch_uid="bundle-page-pub")
    page_unpublished.connect(_page_changed, dispatch_uid="bundle-page-unpub")
    for signal in (post_save, post_delete):
        signal.connect(
            _restriction_changed, sender=PageViewRestriction, dispatch_uid=f"bundle-pvr-{signal}"
        )
    m2m_changed.connect(
        _restriction_changed,
        sender=PageViewRestriction.groups.through,
        dispatch_uid="bundle-pvr-groups",
    )
    post_page_move.connect(_page_moved, dispatch_uid="bundle-page-move")
