"""Every admin page agency staff and practice users open answers in a number of queries
that does not grow with the number of practices, posts or leads (issue 18).

One install is measured at a small size, grown (more practices, and more posts, leads,
images, documents and authors in the measured practice), and measured again: any
page whose count grew fails, named with both counts. Each page is requested once
unmeasured first, for per-process caches (content types, site root paths)."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.contrib.forms.models import FormSubmission
from wagtail.images import get_image_model
from wagtail.models import TaskState

from blog.models import BlogIndexPage, BlogPostPage, SyndicationJob
from demo_requests.models import DemoRequestPage, Lead
from practices.models import Practice, Specialty
from practices.services.permissions import AGENCY_STAFF_GROUP
from tests.blog.factories import AuthorFactory, make_post
from tests.factories import DocumentFactory, ImageFactory, PracticeFactory, UserFactory, editor_of

pytestmark = pytest.mark.django_db
SMALL, LARGE = 3, 10  # practices
# The listings measured hold more rows at the larger size (the blog's explorer and
# chooser 2 -> 30 posts, past the chooser's page of 25; the chooser's root one row per
# practice; the document chooser past its page of 10; page search and the chooser's
# search a full page; the workflow reports 3 -> 15 posts in moderation), so a query
# per row shows as growth. Wagtail's own views ran
# such queries on the page chooser, the document chooser, the workflow reports (one
# per row, and one per practice's task) and, for a practice editor, the explorer and search
# (Delete/Move per row): each is answered in our code now (practices/page_chooser.py,
# practices/workflow_reports.py, practices/page_permissions.py,
# practices/wagtail_hooks.py), with no cap left.
SORT_KEYS = [
    "name", "status", "page_count", "posts_last_30_days", "leads_last_30_days",
    "leads_awaiting_delivery", "leads_failed", "last_edited_at",
]  # fmt: skip


def add_content(practice: Practice, count: int, start: int) -> None:
    """Posts, leads, images, documents and authors in the practice (numbered from start)."""
    home = practice.site.root_page
    blog = BlogIndexPage.objects.descendant_of(home).get()
    form_page = DemoRequestPage.objects.descendant_of(home).get()
    for n in range(start, start + count):
        post = make_post(blog, title=f"Checkup advice {n}", days_ago=n % 40, publish=n % 5 != 0)
        if n % 5 == 0:  # in moderation: rows of the workflow reports
            post.get_workflow().start(post, editor_of(practice))
        submission = FormSubmission.objects.create(page=form_page, form_data={"n": n})
        Lead.objects.create(
            practice=practice, form_page=form_page, submission=submission,
            idempotency_key=uuid.uuid4().hex, status=["pending", "failed", "delivered"][n % 3],
        )  # fmt: skip
        ImageFactory(collection=practice.collection, title=f"Clinic photo {n}")
        DocumentFactory(collection=practice.collection, title=f"Leaflet {n}")
        AuthorFactory(practice=practice, name=f"Dr. Author {n}")


def grow_to(practices: int, job: SyndicationJob) -> None:
    have = Practice.objects.exclude(specialty=Specialty.AGENCY).count()
    for _ in range(practices - have):
        practice = PracticeFactory()
        add_content(practice, 1, start=0)
    job.practices.set(Practice.objects.exclude(specialty=Specialty.AGENCY))


@pytest.fixture
def install():
    """Practice A (measured), the agency library with a post and a syndication job."""
    practice = PracticeFactory(name="Alpha Family Care", slug="alpha", hostname="alpha.test")
    add_content(practice, 2, start=0)
    library = PracticeFactory(name="Agency Library", slug="library", specialty=Specialty.AGENCY)
    library_blog = BlogIndexPage.objects.descendant_of(library.site.root_page).get()
    original = make_post(library_blog, title="Flu season guide", audience="patients")
    staff = UserFactory(groups=[Group.objects.get(name=AGENCY_STAFF_GROUP)])
    job = SyndicationJob.objects.create(original=original, requested_by=staff, total=1)
    grow_to(SMALL, job)
    return {"practice": practice, "original": original, "job": job, "staff": staff}


def admin_pages(install: dict, *, agency: bool) -> dict[str, tuple[str, int, str]]:
    """label -> (url, expected status, text the page must show)."""
    practice = install["practice"]
    home = practice.site.root_page
    blog = BlogIndexPage.objects.descendant_of(home).get()
    image = get_image_model().objects.filter(collection=practice.collection).first()
    lead = Lead.objects.filter(practice=practice).order_by("pk").first()
    settings_url = reverse(
        "wagtailsettings:edit", args=["practices", "practicesettings", practice.site_id]
    )
    explore_blog = reverse("wagtailadmin_explore", args=[blog.pk])
    leads = reverse("leads:index")
    pages = {
        "dashboard": (reverse("wagtailadmin_home"), 200, "Dashboard"),
        "explorer of the home": (reverse("wagtailadmin_explore", args=[home.pk]), 200, "Blog"),
        "explorer of the blog": (explore_blog, 200, "Checkup advice"),
        "explorer past the end": (f"{explore_blog}?p=999", 200, "Checkup advice"),
        "page search": (reverse("wagtailadmin_pages:search") + "?q=checkup", 200, "Checkup"),
        "page chooser root": (reverse("wagtailadmin_choose_page"), 200, "Alpha Family Care"),
        "page chooser of the blog": (
            reverse("wagtailadmin_choose_page_child", args=[blog.pk]),
            200,
            "Checkup advice",
        ),
        "page chooser search": (
            reverse("wagtailadmin_choose_page_search") + "?q=checkup",
            200,
            "Checkup advice",
        ),
        "image listing": (reverse("wagtailimages:index"), 200, "Clinic photo"),
        "image chooser": (reverse("wagtailimages_chooser:choose"), 200, "Clinic photo"),
        "image edit": (reverse("wagtailimages:edit", args=[image.pk]), 200, image.title),
        "document listing": (reverse("wagtaildocs:index"), 200, "Leaflet"),
        "document chooser": (reverse("wagtaildocs_chooser:choose"), 200, "Leaflet"),
        "author chooser": (reverse("wagtailsnippetchoosers_blog_author:choose"), 200, "Dr. Author"),
        "leads inbox": (leads, 200, "Alpha Family Care" if agency else "Leads"),
        "leads past the end": (f"{leads}?p=999", 200, "Leads"),
        "lead": (reverse("leads:inspect", args=[lead.pk]), 200, "Submission id"),
        "site history": (reverse("wagtailadmin_reports:site_history"), 200, "Site history"),
        "aging pages": (reverse("wagtailadmin_reports:aging_pages"), 200, "Aging pages"),
        "settings": (settings_url, 200, "Editing: Practice details"),
    }
    if agency:
        pages.update(agency_pages(install))
    else:
        pages["explorer root"] = (reverse("wagtailadmin_explore_root"), 302, "")
    return pages


def agency_pages(install: dict) -> dict[str, tuple[str, int, str]]:
    practices = reverse("practices:index")
    name = "Alpha Family Care"
    pages = {
        "explorer root": (reverse("wagtailadmin_explore_root"), 200, name),
        "practices": (practices, 200, name),
        "practices ?status=live": (f"{practices}?status=live", 200, name),
        "practices ?specialty=family-medicine": (f"{practices}?specialty=family-medicine", 200, ""),
        "practices ?q=alpha": (f"{practices}?q=alpha", 200, name),
        "practices ?p=999": (f"{practices}?p=999", 200, "Page 1 of 1"),
        "practices ?status=bogus": (f"{practices}?status=bogus", 200, "Select a valid choice"),
        "practices ?ordering=bogus": (f"{practices}?ordering=bogus", 200, name),
        "syndicate form": (
            reverse("blog_syndicate", args=[install["original"].pk]),
            200,
            "All practices",
        ),
        "syndication job": (reverse("blog_syndication_job", args=[install["job"].pk]), 200, name),
        "locked pages": (reverse("wagtailadmin_reports:locked_pages"), 200, "Locked pages"),
        "workflows": (reverse("wagtailadmin_reports:workflow"), 200, "Workflows"),
        "workflow tasks": (reverse("wagtailadmin_reports:workflow_tasks"), 200, "Workflow tasks"),
        "page types usage": (reverse("wagtailadmin_reports:page_types_usage"), 200, "Blog post"),
    }
    for key in SORT_KEYS:
        for order in (key, f"-{key}"):
            pages[f"practices ?ordering={order}"] = (f"{practices}?ordering={order}", 200, name)
    return pages


def query_counts(client, pages: dict[str, tuple[str, int, str]]) -> dict[str, int]:
    counts = {}
    for label, (url, status, text) in pages.items():
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == status, f"{label}: {url} answered {response.status_code}"
        shown = response.content.decode().lower()
        assert text.lower() in shown, f"{label}: {url} does not show {text!r}"
        counts[label] = len(queries)
    return counts


def grown(small: dict[str, int], large: dict[str, int]) -> dict[str, str]:
    """Pages whose count grew."""
    return {
        label: f"{small[label]} -> {large[label]}" for label in small if large[label] > small[label]
    }


def test_admin_query_counts_do_not_grow_with_practices_posts_or_leads(client, install) -> None:
    practice = install["practice"]
    editor = editor_of(practice)
    client.force_login(install["staff"])
    agency_small = query_counts(client, admin_pages(install, agency=True))
    client.force_login(editor)
    editor_small = query_counts(client, admin_pages(install, agency=False))

    add_content(practice, 28, start=2)  # 30 posts: past the chooser's page of 25 rows
    grow_to(LARGE, install["job"])

    client.force_login(install["staff"])
    agency_large = query_counts(client, admin_pages(install, agency=True))
    client.force_login(editor)
    editor_large = query_counts(client, admin_pages(install, agency=False))
    assert BlogPostPage.objects.descendant_of(practice.site.root_page).count() == 30
    assert TaskState.objects.count() == LARGE + 5
    assert not grown(agency_small, agency_large), grown(agency_small, agency_large)
    assert not grown(editor_small, editor_large), grown(editor_small, editor_large)
