from .pages import PracticeHomePage, StandardPage
from .practice import Practice, PracticeHostname, PracticeStatus, Specialty
from .settings import BrandSettings, PracticeSettings
from .team import TeamIndexPage

__all__ = [
    "BrandSettings",
    "Practice",
    "PracticeHomePage",
    "PracticeHostname",
    "PracticeSettings",
    "PracticeStatus",
    "Specialty",
    "StandardPage",
    "TeamIndexPage",
]
