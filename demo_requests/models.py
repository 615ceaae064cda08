"""Demo-request forms built with Wagtail's form builder."""

from __future__ import annotations

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField


class DemoRequestFormField(AbstractFormField):
    page = ParentalKey("DemoRequestPage", on_delete=models.CASCADE, related_name="form_fields")


class DemoRequestPage(AbstractEmailForm):
    """A practice's contact / demo-request form; editors choose its fields."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])
    thank_you_text = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [
        *AbstractEmailForm.content_panels,
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label="Form fields"),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading="Notification e-mail",
        ),
    ]
    parent_page_types = ["practices.PracticeHomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "demo-request page"
