"""The call to action at the end of every post (BlogSettings): "Get a demo" on the
agency's marketing site, the practice's own "Request an appointment" on a practice's
site, including on its syndicated copies of agency posts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from blog.models import BlogIndexPage, BlogPostPage, BlogSettings
from blog.services import syndication
from practices.models import Practice
from tests.blog.factories import make_post
from tests.factories import PracticeFactory, moderator_of

pytestmark = pytest.mark.django_db
AGENCY_HOST, CLINIC_HOST, OTHER_HOST = "agency.test", "clinic.test", "other.test"
AGENCY_BUTTON = '<a class="button" href="/get-a-demo/">Get a demo</a>'
CLINIC_BUTTON = '<a class="button" href="/contact/">Request an appointment</a>'


def blog_of(practice: Practice) -> BlogIndexPage:
    return BlogIndexPage.objects.descendant_of(practice.site.root_page).get()


def view(client, post: BlogPostPage, host: str) -> str:
    response = client.get(post.relative_url(post.get_site()), HTTP_HOST=host)
    assert response.status_code == 200
    return response.content.decode()


def cta_of(html: str) -> str:
    start = html.index('<aside class="post-cta"')
    return html[start : html.index("</aside>", start)]


@pytest.fixture
def agency() -> Practice:
    return PracticeFactory(
        name="Brightline", slug="agency", hostname=AGENCY_HOST, template="agency-marketing"
    )


@pytest.fixture
def clinic() -> Practice:
    return PracticeFactory(name="Riverside Clinic", slug="clinic", hostname=CLINIC_HOST)


def test_an_agency_post_ends_with_get_a_demo(client, agency) -> None:
    post = make_post(blog_of(agency), title="Humanize your practice", audience="practice-owners")
    cta = cta_of(view(client, post, AGENCY_HOST))
    assert "See what your practice&#x27;s website could do" in cta
    assert AGENCY_BUTTON in cta
    assert "Request an appointment" not in cta


def test_the_practice_copy_shows_the_practices_call_to_action_not_the_agencys(
    client, agency, clinic
) -> None:
    agency_setting = BlogSettings.for_site(agency.site)
    agency_setting.heading = "Book your agency walkthrough"
    agency_setting.save()
    original = make_post(blog_of(agency), title="Sun safety", audience="patients")
    copy = syndication.syndicate_to_practice(original, clinic)

    assert "Book your agency walkthrough" in cta_of(view(client, original, AGENCY_HOST))
    html = view(client, copy, CLINIC_HOST)
    cta = cta_of(html)
    assert CLINIC_BUTTON in cta
    assert "Have a question about your health?" in cta
    assert "Get a demo" not in html
    assert "get-a-demo" not in html
    assert "Book your agency walkthrough" not in html


def test_a_practice_sets_its_own_heading_text_label_and_target(client, agency, clinic) -> None:
    original = make_post(blog_of(agency), title="Sun safety", audience="patients")
    copy = syndication.syndicate_to_practice(original, clinic)
    setting = BlogSettings.for_site(clinic.site)
    setting.heading = "Worried about a mole?"
    setting.text = "Our dermatologists see new patients within a week."
    setting.button_label = "Book a skin check"
    setting.target_page = clinic.site.root_page.get_children().get(slug="privacy")
    setting.save()
    cta = cta_of(view(client, copy, CLINIC_HOST))
    assert "Worried about a mole?" in cta
    assert "Our dermatologists see new patients within a week." in cta
    assert '<a class="button" href="/privacy/">Book a skin check</a>' in cta
    # The agency's own post is untouched by the practice's setting.
    assert AGENCY_BUTTON in cta_of(view(client, original, AGENCY_HOST))


def test_an_unpublished_target_falls_back_to_the_home_pages_call_to_action(client, clinic) -> None:
    post = make_post(blog_of(clinic), title="Our new nurse")
    privacy = clinic.site.root_page.get_children().get(slug="privacy")
    setting = BlogSettings.for_site(clinic.site)
    setting.target_page = privacy
    setting.save()
    privacy.specific.unpublish()
    assert CLINIC_BUTTON in cta_of(view(client, post, CLINIC_HOST))


def test_the_target_must_be_a_page_of_the_same_practice(client, clinic) -> None:
    other = PracticeFactory(name="Other Clinic", slug="other", hostname=OTHER_HOST)
    foreign = other.site.root_page.get_children().get(slug="contact")
    own = clinic.site.root_page.get_children().get(slug="privacy")
    client.force_login(moderator_of(clinic))
    url = reverse("wagtailsettings:edit", args=["blog", "blogsettings", clinic.site_id])
    form = {"heading": "Questions?", "text": "", "button_label": "Ask us"}
    response = client.post(url, {**form, "target_page": foreign.pk})
    assert response.status_code == 200
    assert "Choose a page of this practice&#x27;s own site." in response.content.decode()
    assert not BlogSettings.objects.filter(site=clinic.site, heading="Questions?").exists()

    response = client.post(url, {**form, "target_page": own.pk})
    assert response.status_code == 302
    saved = BlogSettings.objects.get(site=clinic.site)
    assert (saved.heading, saved.target_page_id) == ("Questions?", own.pk)
    # And another practice's setting is not this moderator's to open.
    other_url = reverse("wagtailsettings:edit", args=["blog", "blogsettings", other.site_id])
    assert client.get(other_url).status_code in (302, 403)
