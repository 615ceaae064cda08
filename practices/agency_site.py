"""The agency's marketing site: its product pages, registered as starter pages for
the practice-owner audience only (the agency site, `--template agency-marketing`).

Practice owners are the readers here, so the copy sells the platform; the blog and the
"Get a demo" form come from the blog and demo-request features like any site's.
"""

from __future__ import annotations

from dataclasses import dataclass

from practices.models import PRACTICE_OWNERS, StandardPage
from practices.services.home_blocks import rich_text_block
from practices.starter_pages import StarterContext, StarterPage, register_starter_page


@dataclass(frozen=True)
class ProductPage:
    key: str
    position: int
    title: str
    intro: str
    body: str


PRODUCT_PAGES = [
    ProductPage(
        key="practice-websites",
        position=2,
        title="Practice websites",
        intro="A complete website for your practice, in your brand, live in two weeks.",
        body=(
            "<p>Patients judge a practice by its website before they ever call. Ours are "
            "built for medical and dental practices from the first page: who you are, what "
            "you treat, where you are and how to book, readable on any phone.</p>"
            "<h2>What every site includes</h2><ul>"
            "<li>Home, services and location pages written for your specialty</li>"
            "<li>Team profiles with credentials, languages and videos</li>"
            "<li>A blog with patient-education posts from our healthcare writers</li>"
            "<li>An appointment request that works without JavaScript and lands in your "
            "CRM</li>"
            "<li>Your logo, colours and fonts, checked for readable contrast</li></ul>"
            "<h2>Edited by your team</h2><p>Your front desk updates hours, adds a new "
            "provider or posts news in minutes. Changes go through your own approval step, "
            "and only your staff ever see your practice's pages, images and leads.</p>"
            "<h2>Fast and found</h2><p>Pages are served from a cache in a few milliseconds, "
            "with search-engine markup for your clinic, your providers and every post.</p>"
        ),
    ),
    ProductPage(
        key="patient-acquisition",
        position=4,
        title="Patient acquisition",
        intro="More of the right patients, and proof of where each one came from.",
        body=(
            "<p>A website only pays for itself when it turns readers into booked visits. "
            "We combine content, local search and lead handling so that none of them is "
            "left to chance.</p>"
            "<h2>Content patients look for</h2><p>Every month our writers publish "
            "patient-education posts (flu season, skin checks, children's check-ups) to "
            "your blog under your name, each ending with your own call to request an "
            "appointment. You can edit any post or make it your own.</p>"
            "<h2>Local search</h2><p>Accurate name, address, phone and hours on every page, "
            "clean sitemaps, and structured data that search engines read.</p>"
            "<h2>Every request followed up</h2><p>Requests are stored first and then "
            "delivered to HubSpot, Salesforce or your own system, retried until they "
            "arrive, and listed in your leads inbox with where the patient came from.</p>"
        ),
    ),
    ProductPage(
        key="how-it-works",
        position=6,
        title="How it works and pricing",
        intro="One monthly fee per location. No setup charge, no long contract.",
        body=(
            "<h2>How it works</h2><ol>"
            "<li><strong>Demo (20 minutes).</strong> We show you a site for your specialty "
            "and answer your questions.</li>"
            "<li><strong>Kick-off.</strong> Send us your logo, team and services; we write "
            "the first pages with you.</li>"
            "<li><strong>Launch in two weeks.</strong> We move your domain and set up your "
            "appointment requests and CRM.</li>"
            "<li><strong>Every month.</strong> New posts on your blog, a report of your "
            "requests, and changes made by your team or ours.</li></ol>"
            "<h2>Pricing</h2><ul>"
            "<li><strong>Essentials</strong>: website, blog and appointment requests, "
            "$349 per location per month.</li>"
            "<li><strong>Growth</strong>: Essentials plus monthly patient-education posts "
            "and CRM delivery, $599 per location per month.</li>"
            "<li><strong>Groups</strong> of five locations or more: ask us for a quote.</li>"
            "</ul><p>Cancel with 30 days' notice; your content stays yours and is exported "
            "in a standard format.</p>"
        ),
    ),
]


def _builder(product: ProductPage):
    def build(context: StarterContext) -> StandardPage:
        return StandardPage(
            title=product.title, slug=product.key, intro=product.intro,
            body=[rich_text_block(product.body)],
        )  # fmt: skip

    return build


def register() -> None:
    for product in PRODUCT_PAGES:
        register_starter_page(
            StarterPage(
                key=product.key,
                position=product.position,
                build=_builder(product),
                show_in_menus=True,
                audiences=frozenset({PRACTICE_OWNERS}),
            )
        )
