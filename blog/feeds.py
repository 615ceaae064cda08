"""RSS 2.0 and Atom feeds of a practice's blog (whole blog or one tag)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from wagtail.models import Site

FEED_SIZE = 20
FEED_CLASSES = {"rss": Rss201rev2Feed, "atom": Atom1Feed}


def feed_response(
    request: HttpRequest, index, posts: list, *, kind: str, title_suffix: str = ""
) -> HttpResponse:
    """`posts`: the newest FEED_SIZE posts with their authors and tags (selectors.feed_page)."""
    feed_class = FEED_CLASSES[kind]
    # The request's site (cached by host routing) is the index's: no query.
    site = Site.find_for_request(request) or index.get_site()
    feed = feed_class(
        title=f"{site.site_name} – {index.title}{title_suffix}",
        link=index.get_full_url(request),
        description=index.intro or index.title,
        language="en",
        feed_url=request.build_absolute_uri(),
    )
    for post in posts:
        url = site.root_url + post.get_url(request=request, current_site=site)
        feed.add_item(
            title=post.title,
            link=url,
            description=post.intro,
            unique_id=url,
            pubdate=post.date,
            updateddate=post.last_published_at or post.date,
            author_name=post.author.name if post.author else None,
            categories=[item.tag.name for item in post.tagged_items.all()],
        )
    response = HttpResponse(content_type=f"{feed.content_type}")
    feed.write(response, "utf-8")
    return response
