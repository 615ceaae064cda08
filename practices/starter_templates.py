"""Starter content for a new practice, chosen with `create_practice --template`
(`agency-marketing` provisions the agency's own marketing site)."""

from __future__ import annotations

from dataclasses import dataclass, field

from practices.models import Specialty


@dataclass(frozen=True)
class StarterTemplate:
    key: str
    specialty: str
    hero_heading: str
    intro: str
    primary_colour: str
    secondary_colour: str
    font: str = "system-sans"
    # (service, one-sentence summary): a page each, shown in the home's services grid.
    services: list[tuple[str, str]] = field(default_factory=list)
    # (question, answer) for the home page's FAQ block.
    faq: list[tuple[str, str]] = field(default_factory=list)
    insurance: list[str] = field(default_factory=list)
    home_body: str = ""  # rich text after the hero (the agency's marketing home)


# The agency's marketing site: its home speaks to practice owners, with no hours,
# team or appointment request (its product pages come from practices/agency_site.py).
AGENCY_HOME_BODY = (
    "<h2>Websites that bring patients through the door</h2>"
    "<p>We build and run the website of your practice: fast pages in your brand, a blog "
    "written by healthcare writers, team profiles, and an appointment request that "
    "lands in your inbox and your CRM. You see patients; we keep the site working.</p>"
    '<h3><a href="/practice-websites/">Practice websites</a></h3>'
    "<p>A complete site for your specialty, live in two weeks, edited by your staff "
    "without a developer.</p>"
    '<h3><a href="/patient-acquisition/">Patient acquisition</a></h3>'
    "<p>Local search, patient-education posts syndicated to your blog every month, "
    "and every request tracked from the first click to the booked visit.</p>"
    '<h3><a href="/how-it-works/">How it works and pricing</a></h3>'
    "<p>One monthly fee per location, no setup charge, cancel with 30 days' notice.</p>"
)
# Old names of templates, still accepted by create_practice.
TEMPLATE_ALIASES = {"agency-library": "agency-marketing"}


STARTER_TEMPLATES: dict[str, StarterTemplate] = {
    template.key: template
    for template in [
        StarterTemplate(
            key="general",
            specialty=Specialty.FAMILY_MEDICINE,
            hero_heading="Care for every stage of life",
            intro="Unhurried appointments with clinicians who know you by name.",
            primary_colour="#1d4f91",
            secondary_colour="#0f766e",
        ),
        StarterTemplate(
            key="family-medicine",
            specialty=Specialty.FAMILY_MEDICINE,
            hero_heading="Your family's doctors, close to home",
            intro="Check-ups, same-day sick visits and chronic-care plans for all ages.",
            primary_colour="#1f5f3a",
            secondary_colour="#b45309",
            font="humanist",
            services=[
                ("Annual physicals", "A yearly check of your health, screenings and vaccines."),
                ("Same-day sick visits", "Seen today for fevers, infections and injuries."),
                ("Chronic care management", "Plans and follow-up for diabetes, asthma and more."),
            ],
            faq=[
                ("Are you accepting new patients?", "Yes: children and adults of every age."),
                ("Can I be seen the same day?", "Call before 10 am for a same-day sick visit."),
                ("Do you offer telehealth?", "Yes, for follow-ups and many minor concerns."),
            ],
            insurance=["Aetna", "Blue Cross Blue Shield", "Cigna", "Medicare", "UnitedHealthcare"],
        ),
        StarterTemplate(
            key="dermatology",
            specialty=Specialty.DERMATOLOGY,
            hero_heading="Healthy skin, expert care",
            intro="Medical, surgical and cosmetic dermatology from board-certified specialists.",
            primary_colour="#6b2150",
            secondary_colour="#0e7490",
            font="classic-serif",
            services=[
                (
                    "Skin cancer screening",
                    "A full-body skin check by a board-certified dermatologist.",
                ),
                ("Acne treatment", "Clearer skin with a plan made for your skin type."),
                ("Mohs surgery", "Skin cancer removal that spares healthy tissue."),
            ],
            faq=[
                ("Do I need a referral?", "Most plans do not require one; we check for you."),
                (
                    "How often should I have a skin check?",
                    "Once a year, or as your doctor advises.",
                ),
            ],
            insurance=["Aetna", "Anthem", "Cigna", "Medicare", "Humana"],
        ),
        StarterTemplate(
            key="dentistry",
            specialty=Specialty.DENTISTRY,
            hero_heading="Gentle dentistry for the whole family",
            intro="Cleanings, fillings and smile makeovers in a calm, modern office.",
            primary_colour="#075985",
            secondary_colour="#0f766e",
            font="rounded",
            services=[
                ("Cleanings and exams", "Twice-yearly care that keeps problems small."),
                ("Invisalign", "Straighter teeth with clear, removable aligners."),
                ("Implants", "Permanent, natural-looking replacements for missing teeth."),
            ],
            faq=[
                ("Do you see children?", "Yes: from their first tooth."),
                ("What if I have a dental emergency?", "Call us: we keep time free every day."),
            ],
            insurance=["Delta Dental", "MetLife", "Cigna Dental", "Guardian"],
        ),
        StarterTemplate(
            key="pediatrics",
            specialty=Specialty.PEDIATRICS,
            hero_heading="Helping kids grow up healthy",
            intro="Newborn visits to teen check-ups, with evening hours for busy families.",
            primary_colour="#7c2d12",
            secondary_colour="#4338ca",
            font="rounded",
            services=[
                ("Well-child visits", "Growth, development and vaccines, on schedule."),
                ("Vaccinations", "Every recommended vaccine, from birth to college."),
                ("Sports physicals", "Forms signed the same week."),
            ],
        ),
        StarterTemplate(
            key="agency-marketing",
            specialty=Specialty.AGENCY,
            hero_heading="More patients for your practice, without the busywork",
            intro=(
                "Websites, patient-education content and appointment requests for "
                "independent medical and dental practices."
            ),
            primary_colour="#312e81",
            secondary_colour="#0f766e",
            home_body=AGENCY_HOME_BODY,
        ),
    ]
}
