from .pages import PracticeHomePage, StandardPage
from .practice import Practice, PracticeHostname, PracticeStatus, Specialty
from .redirects import PracticeRedirect
from .settings import BrandSettings, PracticeSettings
from .team import TeamIndexPage

__all__ = [
    "BrandSettings",
    "Practice",
    "PracticeHomePage",
    "PracticeHostname",
    "PracticeRedirect",
    "PracticeSettings",
    "PracticeStatus",
    "Specialty",
    "StandardPage",
    "TeamIndexPage",
]
