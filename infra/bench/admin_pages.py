"""The in-process half of admin.py: admin fixtures, the pages to open, the timing.

Runs under the production settings (admin.py starts it with the right environment).
"""

from __future__ import annotations

import argparse
import time
import uuid
from dataclasses import dataclass

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from wagtail.contrib.forms.models import FormSubmission  # noqa: E402
from wagtail.images import get_image_model  # noqa: E402

from blog.models import BlogIndexPage, BlogPostPage, SyndicationJob  # noqa: E402
from demo_requests.models import DemoRequestPage, Lead  # noqa: E402
from practices.models import Practice, Specialty  # noqa: E402
from practices.services.permissions import AGENCY_STAFF_GROUP  # noqa: E402
from practices.services.provisioning import PracticeSpec, provision_practice  # noqa: E402

LIBRARY_SLUG = "bench-library"
STAFF_EMAIL = "bench-staff@bench.test"
EDITOR_EMAIL = "bench-editor@bench.test"
SORT_KEYS = [
    "name", "status", "page_count", "posts_last_30_days", "leads_last_30_days",
    "leads_awaiting_delivery", "leads_failed", "last_edited_at",
]  # fmt: skip
LEAD_STATUSES = [Lead.Status.DELIVERED] * 3 + [Lead.Status.PENDING, Lead.Status.FAILED]


@dataclass
class Fixtures:
    staff: object
    editor: object
    practice: Practice
    home_id: int
    blog_id: int
    library_post_id: int
    job_id: int
    lead_id: int


def _user(email: str, groups: list[Group]):
    user, _ = get_user_model().objects.get_or_create(
        username=email, defaults={"email": email, "is_staff": False}
    )
    user.groups.set(groups)
    return user


def _leads(per_practice: int) -> None:
    """`per_practice` leads in every practice that has none (20 % pending or failed)."""
    without = Practice.objects.exclude(specialty=Specialty.AGENCY).filter(leads__isnull=True)
    for practice in without.select_related("site"):
        form_page = DemoRequestPage.objects.descendant_of(practice.site.root_page).first()
        if form_page is None:
            continue
        with transaction.atomic():
            submissions = FormSubmission.objects.bulk_create(
                FormSubmission(page=form_page, form_data={"name": f"Lead {n}", "n": n})
                for n in range(per_practice)
            )
            Lead.objects.bulk_create(
                Lead(
                    practice=practice,
                    form_page=form_page,
                    submission=submission,
                    idempotency_key=uuid.uuid4().hex,
                    status=LEAD_STATUSES[n % len(LEAD_STATUSES)],
                )
                for n, submission in enumerate(submissions)
            )


def _library(staff) -> tuple[int, int]:
    """The agency library with one published post, and a job syndicating it everywhere."""
    import build_dataset

    library = Practice.objects.filter(slug=LIBRARY_SLUG).first()
    if library is None:
        with transaction.atomic():
            library = provision_practice(
                PracticeSpec(
                    name="Agency Library",
                    slug=LIBRARY_SLUG,
                    hostname="library.bench.test",
                    specialty=Specialty.AGENCY,
                )
            ).practice
            blog = BlogIndexPage.objects.descendant_of(library.site.root_page).get()
            build_dataset.ensure_vocabulary()
            build_dataset._posts(library, 0, blog, 3, photos=[])
            # Patient education: the only library posts the syndicate form accepts.
            BlogPostPage.objects.child_of(blog).update(audience="patients")
    post = BlogPostPage.objects.descendant_of(library.site.root_page).order_by("pk").first()
    job = SyndicationJob.objects.filter(original=post).first()
    if job is None:
        targets = Practice.objects.exclude(specialty=Specialty.AGENCY)
        job = SyndicationJob.objects.create(
            original=post, requested_by=staff, total=targets.count(), status="done"
        )
        job.practices.set(targets)
    return post.pk, job.pk


def fixtures(args: argparse.Namespace) -> Fixtures:
    staff = _user(STAFF_EMAIL, [Group.objects.get(name=AGENCY_STAFF_GROUP)])
    practice = Practice.objects.select_related("site").get(slug="bench-0001")
    editor = _user(EDITOR_EMAIL, [practice.editors_group])
    _leads(args.leads)
    library_post_id, job_id = _library(staff)
    home = practice.site.root_page
    blog = BlogIndexPage.objects.descendant_of(home).get()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    cache.clear()
    return Fixtures(
        staff=staff,
        editor=editor,
        practice=practice,
        home_id=home.pk,
        blog_id=blog.pk,
        library_post_id=library_post_id,
        job_id=job_id,
        lead_id=Lead.objects.filter(practice=practice).values_list("pk", flat=True).first(),
    )


def pages(f: Fixtures) -> list[tuple[str, str, str, int]]:
    """(label, user, url, expected status) of every admin page measured."""
    practices = reverse("practices:index")
    image = get_image_model().objects.filter(collection=f.practice.collection).first()
    document_chooser = reverse("wagtaildocs_chooser:choose")
    blog = reverse("wagtailadmin_explore", args=[f.blog_id])
    settings_url = reverse(
        "wagtailsettings:edit", args=["practices", "practicesettings", f.practice.site_id]
    )
    shared = [
        ("dashboard /admin/", reverse("wagtailadmin_home")),
        ("explorer root", reverse("wagtailadmin_explore_root")),
        ("explorer of a practice home", reverse("wagtailadmin_explore", args=[f.home_id])),
        ("explorer of a blog (50 posts)", blog),
        ("explorer past the last page", f"{blog}?p=99"),
        ("page search", reverse("wagtailadmin_pages:search") + "?q=staying"),
        ("page chooser root", reverse("wagtailadmin_choose_page")),
        ("page chooser of a blog", reverse("wagtailadmin_choose_page_child", args=[f.blog_id])),
        ("image listing", reverse("wagtailimages:index")),
        ("image chooser", reverse("wagtailimages_chooser:choose")),
        ("image edit", reverse("wagtailimages:edit", args=[image.pk]) if image else ""),
        ("document listing", reverse("wagtaildocs:index")),
        ("document chooser", document_chooser),
        ("snippet chooser (authors)", reverse("wagtailsnippetchoosers_blog_author:choose")),
        ("leads inbox", reverse("leads:index")),
        ("leads inbox past the last page", reverse("leads:index") + "?p=999"),
        ("lead", reverse("leads:inspect", args=[f.lead_id])),
        ("report: site history", reverse("wagtailadmin_reports:site_history")),
        ("report: aging pages", reverse("wagtailadmin_reports:aging_pages")),
        ("settings (practice)", settings_url),
    ]
    agency_only = [
        ("practices dashboard", practices),
        *[(f"practices ?ordering=-{key}", f"{practices}?ordering=-{key}") for key in SORT_KEYS],
        ("practices ?ordering=page_count", f"{practices}?ordering=page_count"),
        ("practices ?status=live", f"{practices}?status=live"),
        ("practices ?specialty=dentistry", f"{practices}?specialty=dentistry"),
        ("practices ?q=bench-05", f"{practices}?q=bench-05"),
        ("practices ?p=999 (past the end)", f"{practices}?p=999"),
        ("practices ?ordering=bogus", f"{practices}?ordering=bogus"),
        ("practices ?status=bogus", f"{practices}?status=bogus"),
        ("syndicate form (library post)", reverse("blog_syndicate", args=[f.library_post_id])),
        ("syndication job (all practices)", reverse("blog_syndication_job", args=[f.job_id])),
        ("report: locked pages", reverse("wagtailadmin_reports:locked_pages")),
        ("report: workflows", reverse("wagtailadmin_reports:workflow")),
        ("report: workflow tasks", reverse("wagtailadmin_reports:workflow_tasks")),
        ("report: page types usage", reverse("wagtailadmin_reports:page_types_usage")),
    ]
    rows = [(label, "agency", url, 200) for label, url in shared + agency_only]
    # A practice editor's explorer root redirects to their practice's home.
    rows += [
        (label, "editor", url, 302 if label == "explorer root" else 200) for label, url in shared
    ]
    return [row for row in rows if row[2]]


class Counter:
    """Counts and times every SQL statement (execute_wrapper: works with DEBUG off)."""

    def __init__(self) -> None:
        self.queries = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.queries += 1


def measure_page(client: Client, url: str, args: argparse.Namespace) -> dict:
    status = 0
    for _ in range(args.warmups):
        status = client.get(url, HTTP_HOST="127.0.0.1").status_code
    samples, sql, counts = [], [], []
    for _ in range(args.rounds):
        counter = Counter()
        with connection.execute_wrapper(counter):
            started = time.perf_counter()
            status = client.get(url, HTTP_HOST="127.0.0.1").status_code
            samples.append((time.perf_counter() - started) * 1000)
        sql.append(counter.seconds * 1000)
        counts.append(counter.queries)
    order = sorted(range(len(samples)), key=samples.__getitem__)
    middle = order[len(order) // 2]
    return {
        "median_ms": round(samples[middle], 1),
        "sql_ms": round(sql[middle], 1),
        "queries": counts[middle],
        "samples_ms": [round(s, 1) for s in samples],
        "status": status,
    }


def measure(args: argparse.Namespace) -> int:
    from admin import report

    f = fixtures(args)
    clients = {"agency": Client(), "editor": Client()}
    clients["agency"].force_login(f.staff)
    clients["editor"].force_login(f.editor)
    rows = []
    for label, user, url, expected in pages(f):
        if args.only and args.only not in label:
            continue
        result = measure_page(clients[user], url, args)
        rows.append({"page": label, "user": user, "url": url, "expected": expected, **result})
    return report(args, rows)
