"""Redirects a practice manages for its own site."""

from __future__ import annotations

from wagtail.contrib.redirects.models import Redirect


class PracticeRedirect(Redirect):
    """Wagtail's Redirect, managed per practice: a proxy so that its admin screens
    and permission policy are the platform's, while Wagtail's RedirectMiddleware
    serves the same rows."""

    class Meta:
        proxy = True
        verbose_name = "redirect"
