"""The call to action at the end of every post, per site (Settings → Post call to action).

Empty fields take the site's defaults: the agency's site asks practice owners for a
demo, a practice's site asks patients to request an appointment, and the button goes
to the home page's call to action (provisioning points it at the request form). A
syndicated copy is a page of the practice's own site, so it shows the practice's own
call to action, never the agency's.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

# (heading, text, button label) per audience of the site (practices.models.audience_for).
DEFAULT_CALL_TO_ACTION = {
    "practice-owners": (
        "See what your practice's website could do",
        "A 20-minute walkthrough of a site built for your specialty: pages, blog, "
        "appointment requests and leads delivered to your CRM. No obligation.",
        "Get a demo",
    ),
    "patients": (
        "Have a question about your health?",
        "Our team is happy to help. Send us a request and we will call you back "
        "within one business day.",
        "Request an appointment",
    ),
}


@register_setting(icon="pick")
class BlogSettings(BaseSiteSetting):
    heading = models.CharField(max_length=120, blank=True)
    text = models.TextField(blank=True, help_text="One or two sentences under the heading.")
    button_label = models.CharField(max_length=60, blank=True)
    target_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A page of this site; empty: the home page's call to action.",
    )

    panels = [
        FieldPanel("heading"),
        FieldPanel("text"),
        FieldPanel("button_label"),
        PageChooserPanel("target_page"),
    ]

    class Meta:
        verbose_name = "post call to action"

    def clean(self) -> None:
        super().clean()
        target = self.target_page
        if target is not None and not target.path.startswith(self.site.root_page.path):
            raise ValidationError({"target_page": "Choose a page of this practice's own site."})
