"""Reads for the blog: listings, filters and related posts, in constant queries."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from wagtail.images import get_image_model

from blog.models import BlogIndexPage, BlogPostPage

CARD_RENDITION = "fill-640x360"
HERO_RENDITIONS = ("fill-1280x640", "fill-1200x630")


def _with_listing_relations(posts: QuerySet[BlogPostPage]) -> QuerySet[BlogPostPage]:
    images = get_image_model().objects.prefetch_renditions(CARD_RENDITION)
    return posts.select_related("author").prefetch_related(
        Prefetch("hero_image", queryset=images), "tagged_items__tag", "post_types", "products"
    )


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
    if tag:
        posts = posts.filter(tagged_items__tag__slug=tag)
    if product:
        posts = posts.filter(products__slug=product)
    if post_type:
        posts = posts.filter(post_types__slug=post_type)
    if author:
        posts = posts.filter(author__slug=author)
    if year:
        posts = posts.filter(date__year=year)
    if month:
        posts = posts.filter(date__month=month)
    return _with_listing_relations(posts.distinct())


def related_posts(post: BlogPostPage, index, tags, products, limit: int = 3) -> list[BlogPostPage]:
    """Posts of the same blog sharing a tag or a product, most recent first."""
    tag_ids = [tag.pk for tag in tags]
    product_ids = [product.pk for product in products]
    if not tag_ids and not product_ids:
        return []
    candidates = (
        published_posts(index)
        .exclude(pk=post.pk)
        .filter(Q(tagged_items__tag_id__in=tag_ids) | Q(products__in=product_ids))
    )
    return list(_with_listing_relations(candidates.distinct())[:limit])


def neighbours(post: BlogPostPage, index) -> tuple[BlogPostPage | None, BlogPostPage | None]:
    """(previous = older, next = newer) posts of the same blog."""
    posts = published_posts(index).exclude(pk=post.pk).only("title", "url_path", "date")
    older = posts.filter(Q(date__lt=post.date) | Q(date=post.date, pk__lt=post.pk)).first()
    newer = (
        posts.filter(Q(date__gt=post.date) | Q(date=post.date, pk__gt=post.pk))
        .order_by("date", "pk")
        .first()
    )
    return older, newer
