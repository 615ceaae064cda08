"""Reads for the blog: listings, filters and related posts, in constant queries."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import EmptyPage, Paginator
from django.db.models import Exists, Min, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.utils import timezone
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from blog.models import BlogIndexPage, BlogPostPage, BlogPostTag, Product
from blog.models.settings import DEFAULT_CALL_TO_ACTION
from practices.models import PATIENTS, audience_for
from practices.settings_cache import contact_page_under

CARD_RENDITION = "fill-640x360"
HERO_RENDITIONS = ("fill-1280x640", "fill-1200x630")


def _with_listing_relations(posts: QuerySet[BlogPostPage]) -> QuerySet[BlogPostPage]:
    """What a post card shows, in two queries for any number of posts: the posts
    joined with their author and hero image, then the images' card renditions."""
    renditions = get_image_model().get_rendition_model().objects.filter(filter_spec=CARD_RENDITION)
    return posts.select_related("author", "hero_image").prefetch_related(
        Prefetch("hero_image__renditions", queryset=renditions, to_attr="prefetched_renditions")
    )


def feed_items(posts: QuerySet[BlogPostPage]) -> QuerySet[BlogPostPage]:
    """Posts for a feed: author joined, tag names prefetched (one more query); no
    renditions (feeds carry no images)."""
    return (
        posts.prefetch_related(None)
        .select_related("author")
        .prefetch_related(
            Prefetch("tagged_items", queryset=BlogPostTag.objects.select_related("tag"))
        )
    )


def post_topics(post: BlogPostPage) -> tuple[list[Tag], list[Product]]:
    """A post's tags (in the order they were added) and products (by name), in one
    query (a UNION of both)."""
    tags = (
        BlogPostTag.objects.filter(content_object_id=post.pk)
        .order_by()
        .values_list(Value("tag"), "pk", "tag_id", "tag__name", "tag__slug")
    )
    # No ORDER BY inside the UNION (Product is ordered by name): SQLite, the demo's
    # database, refuses it; both lists are sorted below.
    products = (
        Product.objects.filter(posts__pk=post.pk)
        .order_by()
        .values_list(Value("product"), "pk", "pk", "name", "slug")
    )
    tag_list: list[tuple[int, Tag]] = []
    product_list: list[Product] = []
    for kind, order, pk, name, slug in tags.union(products, all=True):
        if kind == "tag":
            tag_list.append((order, Tag(pk=pk, name=name, slug=slug)))
        else:
            product_list.append(Product(pk=pk, name=name, slug=slug))
    tag_list.sort(key=lambda item: item[0])
    product_list.sort(key=lambda product: product.name)
    return [tag for _, tag in tag_list], product_list


def post_surroundings(post: BlogPostPage, index, *, draft: bool = False) -> dict:
    """What a post page shows around the post: its tags and products, related posts
    and neighbours (five queries; a draft's tags and products are its unsaved ones)."""
    if draft:
        tags = [item.tag for item in post.tagged_items.all()]
        products = list(post.products.all())
    else:
        tags, products = post_topics(post)
    previous_post, next_post = neighbours(post, index)
    related = related_posts(post, index, tags, products)
    call_to_action = post_call_to_action(index)
    for card in related:
        if card.hero_image is not None:
            # Kept with the routed post (prepare_for_route_cache): a card rendition
            # made only while rendering would be missing from every later prefetch.
            card.hero_image.get_rendition(CARD_RENDITION)
    return {
        "tags": tags,
        "products": products,
        "related_posts": related,
        "previous_post": previous_post,
        "next_post": next_post,
        "call_to_action": call_to_action,
    }


@dataclass(frozen=True)
class CallToAction:
    heading: str
    text: str
    label: str
    page: Page  # specific and deferred: its URL comes from the site bundle


def post_call_to_action(index) -> CallToAction | None:
    """The call to action under the posts of this blog's site (BlogSettings, each
    empty field taking the site's default), in two queries. A target outside the site
    or not live falls back to the site's request form (its contact page); None
    without either."""
    home_path = index.path[: -index.steplen]
    site = (
        Site.objects.select_related("practice", "blogsettings__target_page", "root_page")
        .filter(root_page__path=home_path)
        .first()
    )
    if site is None:
        return None
    audience = audience_for(site.practice.specialty) if hasattr(site, "practice") else PATIENTS
    heading, text, label = DEFAULT_CALL_TO_ACTION[audience]
    try:
        setting = site.blogsettings
    except ObjectDoesNotExist:
        setting = None
    chosen = setting.target_page if setting else None
    target = chosen if _shown(chosen, home_path) else contact_page_under(site.root_page)
    if target is None:
        return None
    if setting is not None:
        heading = setting.heading or heading
        text = setting.text or text
        label = setting.button_label or label
    return CallToAction(heading, text, label, target.specific_deferred)


def _shown(page: Page | None, home_path: str) -> bool:
    return page is not None and page.live and page.path.startswith(home_path)


def blog_index_for(practice) -> BlogIndexPage | None:
    """The practice's blog (every provisioned practice has exactly one)."""
    return BlogIndexPage.objects.descendant_of(practice.site.root_page).first()


def published_posts(index) -> QuerySet[BlogPostPage]:
    """Live posts of one blog whose publication date has come, newest first."""
    return (
        BlogPostPage.objects.live()
        .child_of(index)
        .filter(date__lte=timezone.now())
        .order_by("-date", "-pk")
    )


def listing(
    index,
    *,
    tag: str = "",
    product: str = "",
    post_type: str = "",
    author: str = "",
    year: int | None = None,
    month: int | None = None,
) -> QuerySet[BlogPostPage]:
    posts = published_posts(index)
    # To-many filters as semi-joins (`pk IN (...)`): a join would repeat a post once per
    # match and need DISTINCT over every column of the page, which made PostgreSQL's
    # planning alone cost more than running the listing and its count.
    if tag:
        posts = posts.filter(pk__in=_post_ids(tagged_items__tag__slug=tag))
    if product:
        posts = posts.filter(pk__in=_post_ids(products__slug=product))
    if post_type:
        posts = posts.filter(pk__in=_post_ids(post_types__slug=post_type))
    if author:
        posts = posts.filter(author__slug=author)
    if year:
        posts = posts.filter(date__year=year)
    if month:
        posts = posts.filter(date__month=month)
    return _with_listing_relations(posts)


@dataclass(frozen=True)
class ListingPage:
    """Posts of one page of a listing or feed, evaluated."""

    posts: list[BlogPostPage]
    count: int  # of the whole listing, for the paginator
    number: int
    # Seconds until the blog's next future-dated post is due to appear (None if none):
    # no publish event marks that moment, so no cached copy may outlive it
    # (core.freshness.fresh_for).
    fresh_for: int | None


def listing_page(index, number: int, per_page: int, **filters) -> ListingPage | None:
    """Page `number` of a listing (None past its end), with its cards' renditions made:
    three queries for the posts and their count, one for the next post due."""
    paginator = Paginator(listing(index, **filters).defer("body"), per_page)
    try:
        page = paginator.page(number)
    except EmptyPage:
        return None
    posts = list(page.object_list)
    for post in posts:
        if post.hero_image is not None:
            # Made now: a rendition made while rendering would be missing from the
            # kept images' prefetched renditions, costing a query on every view.
            post.hero_image.get_rendition(CARD_RENDITION)
    return ListingPage(posts, paginator.count, page.number, seconds_until_next_post(index))


def feed_page(index, *, tag: str = "", size: int) -> ListingPage:
    """The newest `size` posts of a blog (or of one tag) as a feed shows them."""
    posts = list(feed_items(listing(index, tag=tag).defer("body"))[:size])
    return ListingPage(posts, len(posts), 1, seconds_until_next_post(index))


def seconds_until_next_post(index) -> int | None:
    now = timezone.now()
    due = (
        BlogPostPage.objects.live()
        .child_of(index)
        .filter(date__gt=now)
        .aggregate(due=Min("date"))["due"]
    )
    return None if due is None else max(1, math.ceil((due - now).total_seconds()))


def _post_ids(**lookup) -> QuerySet:
    return BlogPostPage.objects.filter(**lookup).values("pk")


def search(index, query: str):
    """Published posts of one blog matching every word of the query, best first, with
    what a card shows joined and prefetched (as `listing`)."""
    return _with_listing_relations(published_posts(index)).search(query, operator="and")


def related_posts(post: BlogPostPage, index, tags, products, limit: int = 3) -> list[BlogPostPage]:
    """Posts of the same blog sharing a tag or a product, most recent first."""
    tag_ids = [tag.pk for tag in tags]
    product_ids = [product.pk for product in products]
    if not tag_ids and not product_ids:
        return []
    # Driven by this blog's posts (a path-prefix scan) with EXISTS probes, rather than
    # joins + DISTINCT over every post that shares a tag: the cost follows the size of
    # one blog, not of the whole platform (tags are shared by all practices).
    shares_tag = BlogPostTag.objects.filter(content_object_id=OuterRef("pk"), tag_id__in=tag_ids)
    shares_product = BlogPostPage.products.through.objects.filter(
        blogpostpage_id=OuterRef("pk"), product_id__in=product_ids
    )
    candidates = (
        published_posts(index)
        .exclude(pk=post.pk)
        .filter(Exists(shares_tag) | Exists(shares_product))
    )
    return list(_with_listing_relations(candidates)[:limit])


def neighbours(post: BlogPostPage, index) -> tuple[BlogPostPage | None, BlogPostPage | None]:
    """(previous = older, next = newer) posts of the same blog, in one query: each
    neighbour's id is a scalar subquery."""
    posts = published_posts(index).exclude(pk=post.pk)
    is_older = Q(date__lt=post.date) | Q(date=post.date, pk__lt=post.pk)
    older_id = posts.filter(is_older).order_by("-date", "-pk").values("pk")[:1]
    newer_id = posts.exclude(is_older).order_by("date", "pk").values("pk")[:1]
    found = BlogPostPage.objects.filter(Q(pk=Subquery(older_id)) | Q(pk=Subquery(newer_id))).only(
        "title", "url_path", "date"
    )
    older = newer = None
    for neighbour in found:
        if (neighbour.date, neighbour.pk) < (post.date, post.pk):
            older = neighbour
        else:
            newer = neighbour
    return older, newer


def posts_by_member(author_id: int, home_path: str, limit: int) -> list[BlogPostPage]:
    """A team member's live, published posts in their own practice (the team showcase's
    member page; registered with practices.team_selectors)."""
    return list(
        BlogPostPage.objects.live()
        .filter(author_id=author_id, path__startswith=home_path, date__lte=timezone.now())
        .order_by("-date", "-pk")
        .only("title", "url_path", "date", "intro")[:limit]
    )
