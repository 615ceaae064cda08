"""Wagtail admin integration for the blog."""

from __future__ import annotations

from django.db.models import Q
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from blog import (
    import_hooks,  # noqa: F401 - /admin/blog/import/ and its menu item
    syndication_hooks,  # noqa: F401 - syndication admin hooks, publish signal
)
from blog.models import Author, BlogPostTag, PostType, Product
from practices.snippets import PracticeOwnedSnippetViewSet, register_practice_owned_snippet


class AuthorViewSet(PracticeOwnedSnippetViewSet):
    model = Author
    icon = "user"
    menu_label = "Authors"
    add_to_admin_menu = True
    menu_order = 210
    form_fields = ["name", "practice", "job_title", "bio", "photo"]
    list_display = ["name", "practice", "job_title"]
    search_fields = ["name"]


class PostTypeViewSet(SnippetViewSet):
    model = PostType
    icon = "tag"
    menu_label = "Post types"


class ProductViewSet(SnippetViewSet):
    model = Product
    icon = "tag"
    menu_label = "Products"


register_practice_owned_snippet(AuthorViewSet)
register_snippet(PostTypeViewSet)
register_snippet(ProductViewSet)


@hooks.register("practice_tag_ids")
def blog_tags_of_practice(scope):
    """Tags on the posts of the user's practices, for the scoped tag autocomplete."""
    condition = Q()
    for path in scope.page_paths:
        condition |= Q(content_object__path__startswith=path)
    return BlogPostTag.objects.filter(condition).values("tag_id")
