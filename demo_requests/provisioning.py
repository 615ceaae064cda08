"""Demo requests' contribution to a new practice: the request-an-appointment page
("Get a demo" on the agency's marketing site), which is also the home page's call
to action."""

from __future__ import annotations

from demo_requests.defaults import build_default_form_fields
from demo_requests.models import DemoRequestPage
from practices.starter_pages import StarterContext, StarterPage, register_starter_page


def _contact_page(context: StarterContext) -> DemoRequestPage:
    if context.audience == "practice-owners":
        # The agency's marketing site: where its prospects ask for a demo.
        page = DemoRequestPage(
            title="Get a demo",
            slug="get-a-demo",
            intro=(
                "<p>See a website built for your specialty in a 20-minute call. Tell us "
                "about your practice and we will get back to you within one business day.</p>"
            ),
            thank_you_text=(
                "<p>Thank you. We have your request and will contact you to book your demo.</p>"
            ),
            subject=f"New demo request from the {context.name} website",
        )
    else:
        page = DemoRequestPage(
            title="Request an appointment",
            slug="contact",
            intro=(
                "<p>Tell us how to reach you and we will call you back within one business day.</p>"
            ),
            thank_you_text="<p>Thank you. We have your request and will be in touch shortly.</p>",
            subject=f"New request from the {context.name} website",
        )
    page.form_fields = build_default_form_fields(privacy_url=context.privacy_url)
    return page


def register() -> None:
    register_starter_page(
        StarterPage(
            key="contact",
            position=40,
            build=_contact_page,
            show_in_menus=True,
            call_to_action=True,
        )
    )
