"""Admin registration for demo requests: the leads inbox, and a check on CAPTCHA config."""

from __future__ import annotations

from django.core import checks
from wagtail import hooks

from demo_requests import (
    delivery_hooks,  # noqa: F401 - lead delivery attempts page and 'Retry now'
    spam,
)
from demo_requests.inbox import LeadViewSet


@hooks.register("register_admin_viewset")
def register_leads_inbox():
    return LeadViewSet("leads")


@checks.register()
def check_captcha_provider(app_configs=None, **kwargs):
    provider = spam.captcha_provider()
    if provider and provider not in spam.SUPPORTED_CAPTCHA_PROVIDERS:
        return [
            checks.Error(
                f"DEMO_REQUEST_CAPTCHA_PROVIDER={provider!r}: no CAPTCHA provider is wired.",
                hint="Leave it unset (None); spam is handled by the honeypot, fill time "
                "and rate limits.",
                id="demo_requests.E001",
            )
        ]
    return []
