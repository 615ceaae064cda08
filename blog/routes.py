"""URL routes of a blog index: listing, clean filter URLs, archives, search, feeds."""

from __future__ import annotations

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.core.paginator import Page as PageOfPosts
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from taggit.models import Tag
from wagtail.contrib.routable_page.models import path

MAX_QUERY_LENGTH = 100


def _page_number(request: HttpRequest) -> int:
    """?page=N; anything but an integer is the first page (as Django's paginator does)."""
    try:
        return int(request.GET.get("page", 1))
    except (TypeError, ValueError):
        return 1


def _listing_canonical(request: HttpRequest, number: int) -> str:
    """A listing is its own canonical (a tag's posts are not the blog's first page),
    with its page number past the first and no other parameter."""
    url = request.build_absolute_uri(request.path)
    return f"{url}?page={number}" if number > 1 else url


class BlogIndexRoutes:
    """Mixed into BlogIndexPage (before RoutablePageMixin)."""

    def _listing(self, request: HttpRequest, *, heading: str = "", feed_base: str = "", **filters):
        from agency_platform.core import freshness
        from blog import selectors

        number = _page_number(request)
        listing = selectors.listing_page(self, number, self.posts_per_page, **filters)
        if listing is None:
            raise Http404("No such page of posts")
        freshness.fresh_for(request, listing.fresh_for)
        paginator = Paginator((), self.posts_per_page)
        paginator.count = listing.count  # known: counted by listing_page()
        return self.render(
            request,
            context_overrides={
                "posts": PageOfPosts(listing.posts, listing.number, paginator),
                "filter_heading": heading,
                "feed_base": feed_base or self.url,
                "canonical_url": _listing_canonical(request, listing.number),
            },
        )

    @path("")
    def all_posts(self, request: HttpRequest) -> HttpResponse:
        query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
        if query:
            return self._search(request, query)
        return self._listing(request)

    def _search(self, request: HttpRequest, query: str) -> HttpResponse:
        from blog import selectors

        results = selectors.search(self, query)
        paginator = Paginator(results, self.posts_per_page)
        try:
            page_of_posts = paginator.page(request.GET.get("page", 1))
        except (PageNotAnInteger, EmptyPage):
            page_of_posts = paginator.page(1)
        return self.render(
            request,
            context_overrides={
                "posts": page_of_posts,
                "filter_heading": f"Search results for “{query}”",
                "search_query": query,
            },
        )

    @path("tag/<slug:slug>/")
    def by_tag(self, request: HttpRequest, slug: str) -> HttpResponse:
        tag = get_object_or_404(Tag, slug=slug)
        return self._listing(
            request, tag=slug, heading=f"Posts tagged “{tag.name}”",
            feed_base=self.url + self.reverse_subpage("by_tag", args=[slug]),
        )  # fmt: skip

    @path("product/<slug:slug>/")
    def by_product(self, request: HttpRequest, slug: str) -> HttpResponse:
        from blog.models import Product

        product = get_object_or_404(Product, slug=slug)
        return self._listing(request, product=slug, heading=f"Posts about {product.name}")

    @path("type/<slug:slug>/")
    def by_post_type(self, request: HttpRequest, slug: str) -> HttpResponse:
        from blog.models import PostType

        post_type = get_object_or_404(PostType, slug=slug)
        return self._listing(request, post_type=slug, heading=f"{post_type.name} posts")

    @path("author/<slug:slug>/")
    def by_author(self, request: HttpRequest, slug: str) -> HttpResponse:
        from blog.models import Author

        author = Author.objects.filter(slug=slug).first()
        if author is None:
            raise Http404("No such author")
        return self._listing(request, author=slug, heading=f"Posts by {author.name}")

    @path("<int:year>/")
    def by_year(self, request: HttpRequest, year: int) -> HttpResponse:
        return self._listing(request, year=year, heading=f"Posts from {year}")

    @path("<int:year>/<int:month>/")
    def by_month(self, request: HttpRequest, year: int, month: int) -> HttpResponse:
        if not 1 <= month <= 12:
            raise Http404("No such month")
        import calendar

        heading = f"Posts from {calendar.month_name[month]} {year}"
        return self._listing(request, year=year, month=month, heading=heading)

    @path("feed/<str:kind>/")
    def feed(self, request: HttpRequest, kind: str) -> HttpResponse:
        return self._feed(request, kind)

    @path("tag/<slug:slug>/feed/<str:kind>/")
    def tag_feed(self, request: HttpRequest, slug: str, kind: str) -> HttpResponse:
        tag = get_object_or_404(Tag, slug=slug)
        return self._feed(request, kind, tag=slug, title_suffix=f" – {tag.name}")

    def _feed(self, request: HttpRequest, kind: str, *, tag: str = "", title_suffix: str = ""):
        from agency_platform.core import freshness
        from blog import selectors
        from blog.feeds import FEED_CLASSES, FEED_SIZE, feed_response

        if kind not in FEED_CLASSES:
            raise Http404("Unknown feed format")
        listing = selectors.feed_page(self, tag=tag, size=FEED_SIZE)
        freshness.fresh_for(request, listing.fresh_for)
        return feed_response(request, self, listing.posts, kind=kind, title_suffix=title_suffix)
