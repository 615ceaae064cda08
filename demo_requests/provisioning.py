"""Demo requests' contribution to a new practice: its request page, which is also the
home page's call to action. Practice sites get an appointment request for patients;
the agency's own site (audience "practice-owners") a demo request titled "Get a demo"."""

from __future__ import annotations

from demo_requests.defaults import build_default_form_fields
from demo_requests.models import DemoRequestPage, FormKind
from practices.starter_pages import (
    HomeBlock,
    StarterContext,
    StarterPage,
    register_home_block,
    register_starter_page,
)

PRACTICE_OWNERS = "practice-owners"


def _appointment_page(context: StarterContext) -> DemoRequestPage:
    return DemoRequestPage(
        title="Request an appointment",
        slug="contact",
        form_kind=FormKind.APPOINTMENT,
        intro=(
            "<p>Tell us how to reach you and when suits you; we will call you back within "
            "one business day to confirm your appointment.</p>"
        ),
        thank_you_text="<p>Thank you. We have your request and will be in touch shortly.</p>",
        subject=f"New appointment request from the {context.name} website",
    )


def _demo_page(context: StarterContext) -> DemoRequestPage:
    # The agency's marketing site: where its prospects ask for a demo.
    return DemoRequestPage(
        title="Get a demo",
        slug="get-a-demo",
        form_kind=FormKind.DEMO,
        intro=(
            "<p>See a website built for your specialty in a 20-minute call. Tell us "
            "about your practice and we will get back to you within one business day.</p>"
        ),
        thank_you_text=(
            "<p>Thank you. We have your request and will contact you to book your demo.</p>"
        ),
        subject=f"New demo request from the {context.name} website",
    )


def _contact_page(context: StarterContext) -> DemoRequestPage:
    demo = context.audience == PRACTICE_OWNERS
    page = _demo_page(context) if demo else _appointment_page(context)
    page.form_fields = build_default_form_fields(
        privacy_url=context.privacy_url, kind=page.form_kind
    )
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
    # The form itself on the home page, after the location (70), before the closing
    # call-to-action band (80): practices.services.home_blocks.
    register_home_block(HomeBlock(name="request_form", position=75, value=_request_form))


def _request_form(context: StarterContext) -> dict:
    return {"heading": "", "text": ""}
