from .deliveries import CrmSettings, Destination, LeadDelivery, LeadDeliveryAttempt
from .leads import Lead
from .pages import DemoRequestFormField, DemoRequestPage, FormKind
from .privacy import LeadPrivacySettings

__all__ = [
    "CrmSettings",
    "DemoRequestFormField",
    "DemoRequestPage",
    "Destination",
    "FormKind",
    "Lead",
    "LeadDelivery",
    "LeadDeliveryAttempt",
    "LeadPrivacySettings",
]
