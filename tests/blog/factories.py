"""Blog factories: posts built the way editors and the importer build them."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from blog.models import Author, BlogPostPage, PostType, Product


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author
        django_get_or_create = ("practice", "name")

    name = factory.Sequence(lambda n: f"Author {n}")


def make_post(index, *, title: str, days_ago: int = 1, tags=(), products=(), post_types=(),
              author=None, body: str = "Some **text**.", hero_image=None, publish: bool = True,
              **fields) -> BlogPostPage:  # fmt: skip
    post = BlogPostPage(
        title=title,
        date=timezone.now() - datetime.timedelta(days=days_ago),
        intro=fields.pop("intro", f"Intro of {title}."),
        body=body,
        author=author,
        hero_image=hero_image,
        live=False,  # published below through a revision, as editors do
        **fields,
    )
    index.add_child(instance=post)
    post.tags.add(*tags)
    post.products.set([Product.objects.get_or_create(name=name)[0] for name in products])
    post.post_types.set([PostType.objects.get_or_create(name=name)[0] for name in post_types])
    revision = post.save_revision()
    if publish:
        revision.publish()
    return BlogPostPage.objects.get(pk=post.pk)
