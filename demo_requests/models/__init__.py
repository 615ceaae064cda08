from .leads import Lead
from .pages import DemoRequestFormField, DemoRequestPage

__all__ = ["DemoRequestFormField", "DemoRequestPage", "Lead"]
