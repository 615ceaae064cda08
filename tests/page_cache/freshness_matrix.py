"""The freshness matrix: for each page type, each model its template and context read,
a change made as the admin or the code makes it, and what the next anonymous view of
the page must show. Run with the page cache on (test_freshness_matrix) and through
the Varnish edge (tests/edge/test_freshness_edge). README "Page cache" lists it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from taggit.models import Tag
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import PageViewRestriction

from blog.models import Author, BlogIndexPage, BlogPostPage, BlogSettings, Product
from demo_requests.models import DemoRequestPage
from practices.models import (
    BrandSettings,
    Practice,
    PracticeHomePage,
    PracticeHostname,
    PracticeSettings,
    PracticeStatus,
    StandardPage,
    Testimonial,
    TestimonialStatus,
)
from practices.services.lifecycle import set_status
from tests.blog.factories import make_post
from tests.factories import ImageFactory
from tests.practices.page_builder_fixtures import every_block, every_service_block, publish_body
from tests.practices.places_fixtures import add_location, add_service
from tests.practices.team_fixtures import add_member


@dataclass
class World:
    practice: Practice
    post: BlogPostPage
    sibling: BlogPostPage
    member: object
    brand_version: str
    location: object = None
    service: object = None

    @property
    def post_url(self) -> str:
        return self.post.relative_url(self.practice.site)

    @property
    def member_url(self) -> str:
        return self.member.relative_url(self.practice.site)


def build_world(practice: Practice) -> World:
    index = BlogIndexPage.objects.descendant_of(practice.site.root_page).get()
    author = Author.objects.create(name="Dr. Ines Park", practice=practice)
    hero = ImageFactory(collection=practice.collection, description="Old hero alt")
    sibling = make_post(index, title="Older news", days_ago=3, tags=["flu"])
    post = make_post(
        index, title="Flu season", tags=["flu"], products=["Vaccines"], author=author,
        hero_image=hero,
    )  # fmt: skip
    logo = ImageFactory(collection=practice.collection, title="Old logo")
    brand = BrandSettings.for_site(practice.site)
    brand.logo = logo
    brand.save()
    location = add_location(practice, "North Clinic")
    member = add_member(practice, "Ana Ruiz", locations=[location])
    # The service's body too: one block of each kind it offers.
    service = add_service(
        practice, "Flu shots", members=[member], body=every_service_block(practice)
    )
    # The home page shows one block of each kind (README "Page builder").
    publish_body(practice.site.root_page.specific, every_block(practice))
    return World(practice, post, sibling, member, brand.version, location, service)


def _publish(page, **changes) -> None:
    draft = page.get_latest_revision_as_object()
    for name, value in changes.items():
        setattr(draft, name, value)
    draft.save_revision().publish()


def _phone(w: World) -> None:
    row = PracticeSettings.for_site(w.practice.site)
    row.phone = "+1 512 555 0199"
    row.save()


def _colour(w: World) -> None:
    brand = BrandSettings.for_site(w.practice.site)
    brand.primary_colour = "#123456"
    brand.save()


def _brand_version_shown(w: World, status: int, html: str) -> bool:
    version = BrandSettings.for_site(w.practice.site).version
    return version != w.brand_version and version in html


def _logo(w: World) -> None:
    logo = BrandSettings.for_site(w.practice.site).logo
    logo.title = "Alpha logo, new"
    logo.save()


def _menu_page(w: World) -> None:
    home = w.practice.site.root_page
    page = StandardPage(title="About our clinic", slug="about", show_in_menus=True)
    home.add_child(instance=page)
    page.save_revision().publish()


def _block_image(w: World) -> None:
    home = PracticeHomePage.objects.get(pk=w.practice.site.root_page_id)
    image = home.body[0].value["image"]  # the hero's
    image.description = "The renovated waiting room"
    image.save()


def _chosen_page(w: World) -> None:
    privacy = w.practice.site.root_page.get_children().get(slug="privacy")
    _publish(privacy.specific, title="Privacy and your data")


def _address(w: World) -> None:
    row = PracticeSettings.for_site(w.practice.site)
    row.street_address = "77 Harbour St"
    row.save()


def _new_post(w: World) -> None:
    index = w.post.get_parent()
    make_post(index, title="Measles update", days_ago=0, tags=["flu"])


def _author(w: World) -> None:
    author = w.post.author
    author.name = "Dr. Ines Park-Lee"
    author.save()


def _hero_alt(w: World) -> None:
    image = w.post.hero_image
    image.description = "The front desk at opening time"
    image.save()


def _tag(w: World) -> None:
    tag = Tag.objects.get(slug="flu")
    tag.name = "Influenza"
    tag.save()


def _product(w: World) -> None:
    product = Product.objects.get(name="Vaccines")
    product.name = "Immunisations"
    product.save()


def _sibling_title(w: World) -> None:
    _publish(w.sibling, title="Older news, revised")


def _unpublish(w: World) -> None:
    w.sibling.refresh_from_db()
    w.sibling.unpublish()


def _new_member(w: World) -> None:
    add_member(w.practice, "Ben Cho")


def _unpublish_member(w: World) -> None:
    w.member.unpublish()


def _new_office(w: World) -> None:
    add_location(w.practice, "South Clinic")


def _portrait_alt(w: World) -> None:
    image = w.member.portrait
    image.description = "Ana at the front desk"
    image.save()


def _testimonial(w: World) -> None:
    Testimonial.objects.create(
        practice=w.practice, quote="Seen the same morning.", display_name="Maria G.",
        source="survey", consent_recorded=True, status=TestimonialStatus.APPROVED,
    )  # fmt: skip


def _password(w: World) -> None:
    page = w.practice.site.root_page.get_children().get(slug="privacy")
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="s3cret-pass"
    )


def _suspend(w: World) -> None:
    set_status(w.practice, PracticeStatus.SUSPENDED)


def _form_label(w: World) -> None:
    contact = DemoRequestPage.objects.descendant_of(w.practice.site.root_page).get()
    draft = contact.get_latest_revision_as_object()
    fields = list(draft.form_fields.all())
    fields[0].label = "Your full legal name"
    draft.form_fields = fields
    draft.save_revision().publish()


def _call_to_action(w: World) -> None:
    row = BlogSettings.for_site(w.practice.site)
    row.heading = "Due for a check-up?"
    row.button_label = "Book a visit"
    row.target_page = w.practice.site.root_page.get_children().get(slug="privacy")
    row.save()


def _call_to_action_target(w: World) -> None:
    # The default target (the home page's call to action) gets a new title and slug.
    _publish(DemoRequestPage.objects.descendant_of(w.practice.site.root_page).get(),
             slug="book-a-visit")  # fmt: skip


def _alias_hostname(w: World) -> None:
    PracticeHostname.objects.create(practice=w.practice, hostname="www.alpha.example.test")


def _redirect(w: World) -> None:
    old_path = Redirect.normalise_path("/old-flu-page/")
    Redirect.objects.create(site=w.practice.site, old_path=old_path, redirect_link=w.post_url)


def _location_renamed(w: World) -> None:
    _publish(w.location, title="Northside Clinic")


def _location_phone(w: World) -> None:
    _publish(w.location, phone="+1 512 555 0177")


def _second_location(w: World) -> None:
    south = add_location(w.practice, "South Clinic", street_address="9 South St")
    member = w.member.get_latest_revision_as_object()
    member.locations = [w.location, south]
    member.save_revision().publish()


def _member_at_location(w: World) -> None:
    add_member(w.practice, "Ben Cho", locations=[w.location])


def _member_renamed(w: World) -> None:
    _publish(w.member, title="Ana Ruiz-Park")


def _service_member(w: World) -> None:
    ben = add_member(w.practice, "Ben Cho")
    service = w.service.get_latest_revision_as_object()
    service.related_members = [w.member, ben]
    service.save_revision().publish()


def _service_summary(w: World) -> None:
    _publish(w.service, summary="Walk-in flu vaccines every weekday morning.")


@dataclass(frozen=True)
class Row:
    page_type: str
    reads: str
    path: Callable[[World], str]
    change: Callable[[World], None]
    shows: Callable[[World, int, str], bool]
    host: str = ""  # another hostname than the practice's

    @property
    def id(self) -> str:
        return f"{self.page_type}:{self.reads}"


def _text(text: str) -> Callable[[World, int, str], bool]:
    return lambda w, status, html: status == 200 and text in html


ROWS = [
    Row("home", "PracticeSettings", lambda w: "/", _phone, _text("555 0199")),
    Row("standard page", "BrandSettings", lambda w: "/privacy/", _colour, _brand_version_shown),
    Row("home", "logo image", lambda w: "/", _logo, _text('alt="Alpha logo, new"')),
    Row("home", "Testimonial", lambda w: "/", _testimonial, _text("Seen the same morning.")),
    Row("home", "navigation (pages in menu)", lambda w: "/", _menu_page,
        _text("About our clinic")),
    Row("home", "hero block: image", lambda w: "/", _block_image,
        _text('alt="The renovated waiting room"')),
    Row("home", "services block: chosen page", lambda w: "/", _chosen_page,
        _text("Privacy and your data")),
    Row("home", "team block: members", lambda w: "/", _new_member, _text("Ben Cho")),
    Row("home", "team block: portrait image", lambda w: "/", _portrait_alt,
        _text("Ana at the front desk")),
    Row("home", "latest posts block: posts", lambda w: "/", _new_post, _text("Measles update")),
    Row("home", "latest posts block: post image", lambda w: "/", _hero_alt,
        _text("The front desk at opening time")),
    Row("home", "locations block: PracticeSettings", lambda w: "/", _address,
        _text("77 Harbour St")),
    Row("home", "request form block (contact page)", lambda w: "/", _form_label,
        _text("Your full legal name")),
    Row("blog index", "posts", lambda w: "/blog/", _new_post, _text("Measles update")),
    Row("feed", "posts", lambda w: "/blog/feed/rss/", _new_post, _text("Measles update")),
    Row("blog post", "Author", lambda w: w.post_url, _author, _text("Dr. Ines Park-Lee")),
    Row("blog post", "hero image", lambda w: w.post_url, _hero_alt,
        _text("The front desk at opening time")),
    Row("blog post", "neighbours", lambda w: w.post_url, _sibling_title,
        _text("Older news, revised")),
    Row("blog post", "embedded form (contact page)", lambda w: w.post_url, _form_label,
        _text("Your full legal name")),
    Row("blog post", "embedded form: provider choices (new member)", lambda w: w.post_url,
        _new_member, _text('<option value="ben-cho">Ben Cho, MD</option>')),
    Row("home", "embedded form: provider choices (member unpublished)", lambda w: "/",
        _unpublish_member,
        lambda w, status, html: status == 200 and "preferred_provider" in html
        and 'value="ana-ruiz"' not in html),
    Row("home", "embedded form: location choices (new location page)", lambda w: "/",
        _new_office, _text('<option value="south-clinic">South Clinic</option>')),
    Row("blog post", "BlogSettings (call to action)", lambda w: w.post_url, _call_to_action,
        lambda w, status, html: status == 200 and "Due for a check-up?" in html
        and '<a class="button" href="/privacy/">Book a visit</a>' in html),
    Row("blog post", "call-to-action page", lambda w: w.post_url, _call_to_action_target,
        _text('<a class="button" href="/book-a-visit/">Request an appointment</a>')),
    Row("tag listing", "Tag", lambda w: "/blog/tag/flu/", _tag, _text("Posts tagged “Influenza”")),
    Row("product listing", "Product", lambda w: "/blog/product/vaccines/", _product,
        _text("Posts about Immunisations")),
    Row("sitemap", "pages", lambda w: "/sitemap.xml", _unpublish,
        lambda w, status, html: status == 200 and w.sibling.slug not in html),
    Row("team index", "members", lambda w: "/team/", _new_member, _text("Ben Cho")),
    Row("team member", "portrait image", lambda w: w.member_url, _portrait_alt,
        _text("Ana at the front desk")),
    Row("team member", "LocationPage (its office)", lambda w: w.member_url, _location_renamed,
        _text(">Northside Clinic</a>")),
    Row("team member", "its locations (link)", lambda w: w.member_url, _second_location,
        _text(">South Clinic</a>")),
    Row("team index", "LocationPage (card)", lambda w: "/team/", _location_renamed,
        _text("Northside Clinic")),
    Row("team index", "locations (sections, filter)", lambda w: "/team/", _second_location,
        _text('<option value="south-clinic">South Clinic</option>')),
    Row("location page", "LocationPage", lambda w: "/locations/north-clinic/",
        _location_phone, _text("tel:+15125550177")),
    Row("location page", "members linked", lambda w: "/locations/north-clinic/",
        _member_at_location, _text("Ben Cho")),
    Row("location page", "member (name)", lambda w: "/locations/north-clinic/",
        _member_renamed, _text("Ana Ruiz-Park")),
    Row("locations index", "LocationPage", lambda w: "/locations/", _location_renamed,
        _text("Northside Clinic")),
    Row("service page", "related members", lambda w: "/services/flu-shots/", _service_member,
        _text("Ben Cho")),
    Row("service page", "member (name)", lambda w: "/services/flu-shots/", _member_renamed,
        _text("Ana Ruiz-Park")),
    Row("service page", "testimonials block: Testimonial", lambda w: "/services/flu-shots/",
        _testimonial, _text("Seen the same morning.")),
    Row("service page", "call-to-action band: LocationPage (phone)",
        lambda w: "/services/flu-shots/", _location_phone, _text("Call +1 512 555 0177")),
    Row("services index", "ServicePage", lambda w: "/services/", _service_summary,
        _text("Walk-in flu vaccines every weekday morning.")),
    Row("standard page", "PageViewRestriction", lambda w: "/privacy/", _password,
        lambda w, status, html: status == 200 and 'name="password"' in html
        and "We never sell them" not in html),
    Row("any page", "Redirect", lambda w: "/old-flu-page/", _redirect,
        lambda w, status, html: status == 301),
    Row("any page", "PracticeHostname (host map)", lambda w: "/", _alias_hostname,
        lambda w, status, html: status == 301, host="www.alpha.example.test"),
    Row("home", "Practice (status)", lambda w: "/", _suspend,
        lambda w, status, html: status == 503),
]  # fmt: skip
