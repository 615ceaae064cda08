from .deliveries import CrmSettings, Destination, LeadDelivery, LeadDeliveryAttempt
from .leads import Lead
from .pages import DemoRequestFormField, DemoRequestPage
from .privacy import LeadPrivacySettings

__all__ = [
    "CrmSettings",
    "DemoRequestFormField",
    "DemoRequestPage",
    "Destination",
    "Lead",
    "LeadDelivery",
    "LeadDeliveryAttempt",
    "LeadPrivacySettings",
]
