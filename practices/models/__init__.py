from .pages import PracticeHomePage, StandardPage
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
from .settings import BrandSettings, PracticeSettings
from .team import TeamIndexPage, TeamMemberPage
from .team_blocks import RoleGroup
from .testimonials import Testimonial, TestimonialSource, TestimonialStatus

__all__ = [
    "PATIENTS",
    "PRACTICE_OWNERS",
    "BrandSettings",
    "Practice",
    "PracticeHomePage",
    "PracticeHostname",
    "PracticeRedirect",
    "PracticeSettings",
    "PracticeStatus",
    "RoleGroup",
    "Specialty",
    "StandardPage",
    "TeamIndexPage",
    "TeamMemberPage",
    "Testimonial",
    "TestimonialSource",
    "TestimonialStatus",
    "audience_for",
]
