from .pages import PracticeHomePage, StandardPage
from .practice import Practice, PracticeHostname, PracticeStatus, Specialty
from .redirects import PracticeRedirect
from .settings import BrandSettings, PracticeSettings
from .team import TeamIndexPage, TeamMemberPage
from .team_blocks import RoleGroup
from .testimonials import Testimonial, TestimonialSource, TestimonialStatus

__all__ = [
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
]
