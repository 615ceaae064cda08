"""Wagtail hooks and the publish receiver for syndication (imported by blog.wagtail_hooks;
the receiver is connected by BlogConfig.ready(), like every receiver of the project)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.models import Page

from blog import syndication_views
from blog.models import BlogPostPage
from blog.services import syndication, syndication_jobs
from practices.isolation import is_agency_staff


def sync_copies_of_published_original(sender, instance: BlogPostPage, **kwargs) -> None:
    if instance.syndicated_from_id is None:
        syndication_jobs.schedule_sync(instance)


@hooks.register("register_admin_urls")
def register_syndication_urls() -> list:
    return [
        path(
            "blog/syndicate/<int:page_id>/",
            syndication_views.SyndicateView.as_view(),
            name="blog_syndicate",
        ),
        path(
            "blog/syndication-jobs/<int:job_id>/",
            syndication_views.SyndicationJobView.as_view(),
            name="blog_syndication_job",
        ),
        path(
            "blog/syndication-jobs/<int:job_id>/retry/",
            syndication_views.RetryFailuresView.as_view(),
            name="blog_syndication_retry",
        ),
        path(
            "blog/detach/<int:page_id>/",
            syndication_views.DetachView.as_view(),
            name="blog_detach",
        ),
    ]


@hooks.register("register_page_header_buttons")
def syndication_header_buttons(page: Page, user, view_name: str, next_url: str | None = None):
    if not issubclass(page.specific_class or Page, BlogPostPage):
        return
    post = page.specific
    if post.is_syndicated:
        if post.permissions_for_user(user).can_edit():
            url = reverse("blog_detach", args=[post.pk])
            yield Button("Make it our own", url, icon_name="edit", priority=90)
    elif (
        post.live
        and is_agency_staff(user)
        and syndication.is_library_original(post)
        and not syndication.syndication_refusal(post)
    ):
        url = reverse("blog_syndicate", args=[post.pk])
        yield Button("Syndicate", url, icon_name="doc-full", priority=90)


@hooks.register("before_edit_page")
def warn_before_editing_a_syndicated_copy(request: HttpRequest, page: Page) -> None:
    post = page.specific
    if request.method == "GET" and isinstance(post, BlogPostPage) and post.is_syndicated:
        messages.warning(
            request,
            "This post is a copy of an agency post: the agency's next update will replace "
            "your edits. Use “Make it our own” in the actions menu to edit it independently.",
        )
