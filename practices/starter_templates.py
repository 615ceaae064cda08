"""Starter content for a new practice, chosen with `create_practice --template`."""

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
    services: list[str] = field(default_factory=list)


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
            services=["Annual physicals", "Same-day sick visits", "Chronic care management"],
        ),
        StarterTemplate(
            key="dermatology",
            specialty=Specialty.DERMATOLOGY,
            hero_heading="Healthy skin, expert care",
            intro="Medical, surgical and cosmetic dermatology from board-certified specialists.",
            primary_colour="#6b2150",
            secondary_colour="#0e7490",
            font="classic-serif",
            services=["Skin cancer screening", "Acne treatment", "Mohs surgery"],
        ),
        StarterTemplate(
            key="dentistry",
            specialty=Specialty.DENTISTRY,
            hero_heading="Gentle dentistry for the whole family",
            intro="Cleanings, fillings and smile makeovers in a calm, modern office.",
            primary_colour="#075985",
            secondary_colour="#0f766e",
            font="rounded",
            services=["Cleanings and exams", "Invisalign", "Implants"],
        ),
        StarterTemplate(
            key="pediatrics",
            specialty=Specialty.PEDIATRICS,
            hero_heading="Helping kids grow up healthy",
            intro="Newborn visits to teen check-ups, with evening hours for busy families.",
            primary_colour="#7c2d12",
            secondary_colour="#4338ca",
            font="rounded",
            services=["Well-child visits", "Vaccinations", "Sports physicals"],
        ),
        StarterTemplate(
            key="agency-library",
            specialty=Specialty.AGENCY,
            hero_heading="Agency content library",
            intro="Posts written once by the agency and syndicated to practices.",
            primary_colour="#312e81",
            secondary_colour="#0f766e",
        ),
    ]
}
