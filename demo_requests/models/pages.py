"""Demo-request forms built with Wagtail's form builder."""

from __future__ import annotations

from django.db import models
from django.template.response import TemplateResponse
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

    def get_context(self, request, *args, **kwargs):
        from demo_requests.services import UTM_PARAMETERS, new_submission_key

        context = super().get_context(request, *args, **kwargs)
        context["submission_key"] = new_submission_key()
        # Where the visitor came from, carried through the form as hidden fields.
        context["utm"] = {
            name: request.GET[name][:200] for name in UTM_PARAMETERS if name in request.GET
        }
        context["landing_page"] = request.get_full_path()[:500]
        return context

    def serve(self, request, *args, **kwargs):
        if request.method != "POST":
            return super().serve(request, *args, **kwargs)
        from demo_requests.services import record_lead

        form = self.get_form(request.POST, request.FILES, page=self, user=request.user)
        if not form.is_valid():
            context = self.get_context(request)
            context["form"] = form
            return TemplateResponse(request, self.get_template(request), context)
        recorded = record_lead(self, form, request)
        return self.render_landing_page(request, recorded.lead.submission, *args, **kwargs)
