"""What makes a practice's pages stale, in the blog (core.freshness).

Posts are pages (core.wagtail_freshness); here: syndicated copies show their original,
an author is shown by its practice (a shared agency author by every practice), post
types, products and tags are the agency's shared vocabularies, and the post call to
action (BlogSettings) is its site's.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from taggit.models import Tag

from agency_platform.core import freshness
from agency_platform.core.freshness import AGENCY, Stale
from blog.models import Author, BlogPostPage, BlogSettings, PostType, Product


def copies_of(page) -> list[str]:
    if page.specific_class is not BlogPostPage:
        return []
    copies = BlogPostPage.objects.filter(syndicated_from_id=page.pk)
    return list(copies.values_list("path", flat=True))


def _author_changed(instance: Author, **kwargs):
    return (
        AGENCY if instance.practice_id is None else freshness.for_practices({instance.practice_id})
    )


def _call_to_action_changed(instance: BlogSettings, **kwargs):
    return freshness.for_sites({instance.site_id})


RULES = [
    *(Stale(signal, lambda **kw: AGENCY, model) for model in (PostType, Product, Tag)
      for signal in (post_save, post_delete)),
    Stale(post_save, _author_changed, Author),
    Stale(post_delete, _author_changed, Author),
    # The call to action is kept with each post's surroundings (blog.selectors).
    Stale(post_save, _call_to_action_changed, BlogSettings),
    Stale(post_delete, _call_to_action_changed, BlogSettings),
]  # fmt: skip
