from .pages import PracticeHomePage, StandardPage
from .places import LocationPage, LocationsIndexPage
from .practice import (
    PATIENTS,
    PRACTICE_OWNERS,
    Practice,
    PracticeHostname,
    PracticeStatus,
    Specialty,
    audience_for,
)
from .redirects import PracticeRedirect
from .services import ServicePage, ServicesIndexPage
from .settings import BrandSettings, PracticeSettings
from .team import TeamIndexPage, TeamMemberPage
from .team_blocks import RoleGroup
from .testimonials import Testimonial, TestimonialSource, TestimonialStatus

__all__ = [
    "PATIENTS",
    "PRACTICE_OWNERS",
    "BrandSettings",
    "LocationPage",
    "LocationsIndexPage",
    "Practice",
    "PracticeHomePage",
    "PracticeHostname",
    "PracticeRedirect",
    "PracticeSettings",
    "PracticeStatus",
    "RoleGroup",
    "ServicePage",
    "ServicesIndexPage",
    "Specialty",
    "StandardPage",
    "TeamIndexPage",
    "TeamMemberPage",
    "Testimonial",
    "TestimonialSource",
    "TestimonialStatus",
    "audience_for",
]
