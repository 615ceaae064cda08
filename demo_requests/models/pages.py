"""Request forms built with Wagtail's form builder: appointment and demo requests.

One page model for both kinds (same leads, outbox and CRM delivery); the kind picks
the default field set (demo_requests.defaults) and the CRM field mapping
(demo_requests.crm.mapping).
"""

from __future__ import annotations

from django.db import models
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import FORM_FIELD_CHOICES, AbstractEmailForm, AbstractFormField
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField

from demo_requests.form_builder import RequestFormBuilder
from practices.routing import PracticePageMixin


class FormKind(models.TextChoices):
    APPOINTMENT = "appointment", "Appointment request (patients)"
    DEMO = "demo", "Demo request (practice owners)"


# Choices read when the form is rendered (demo_requests.form_builder), not stored.
DYNAMIC_FIELD_TYPES = (
    ("provider", "Preferred provider (the practice's team)"),
    ("location", "Preferred location (the practice's locations)"),
)


class DemoRequestFormField(AbstractFormField):
    page = ParentalKey("DemoRequestPage", on_delete=models.CASCADE, related_name="form_fields")
    field_type = models.CharField(
        verbose_name="field type",
        max_length=16,
        choices=[*FORM_FIELD_CHOICES, *DYNAMIC_FIELD_TYPES],
    )


class DemoRequestPage(PracticePageMixin, AbstractEmailForm):
    """A practice's appointment-request (or the agency's demo-request) form; editors
    choose its fields."""

    form_kind = models.CharField(
        max_length=16,
        choices=FormKind.choices,
        default=FormKind.APPOINTMENT,
        help_text="Who the form is for: it decides how leads are mapped to the CRM.",
    )
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])
    thank_you_text = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [
        *AbstractEmailForm.content_panels,
        FormSubmissionsPanel(),
        FieldPanel("form_kind"),
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
    form_builder = RequestFormBuilder  # adds the provider and location field types
    parent_page_types = ["practices.PracticeHomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "request page"

    def get_form_class(self):
        """The form builder's class with our validation and spam checks in front; the
        builder knows the page, for the provider and location choices."""
        from demo_requests.forms import DemoRequestFormMixin

        base = self.form_builder(self.get_form_fields(), page=self).get_form_class()
        return type("DemoRequestForm", (DemoRequestFormMixin, base), {})

    def get_context(self, request, *args, **kwargs):
        from demo_requests import spam
        from demo_requests.services import UTM_PARAMETERS, new_submission_key

        context = super().get_context(request, *args, **kwargs)
        context["submission_key"] = new_submission_key()
        context["form_token"] = spam.make_fill_token(self.pk)
        context["honeypot_field"] = spam.HONEYPOT_FIELD
        context["honeypot_label"] = spam.HONEYPOT_LABEL
        # Where the visitor came from, carried through the form as hidden fields.
        context["utm"] = {
            name: request.GET[name][:200] for name in UTM_PARAMETERS if name in request.GET
        }
        context["landing_page"] = request.get_full_path()[:500]
        return context

    def serve(self, request, *args, **kwargs):
        if request.method != "POST":
            from demo_requests.form_builder import PRESELECTABLE, preselect

            form = self.get_form(page=self, user=request.user)
            # `?provider=<member slug>` (a member page's link) or `?location=<slug>` (a
            # location page's) pre-selects it, without JavaScript; the page is never
            # cached, so no other visitor sees the choice.
            for kind in PRESELECTABLE:
                preselect(form, kind, request.GET.get(kind, ""))
            context = self.get_context(request)
            context["form"] = form
            return _uncacheable(TemplateResponse(request, self.get_template(request), context))
        from demo_requests import spam
        from demo_requests.services import record_lead

        limited = spam.check_rate_limits(request, self.pk)
        if limited is not None:
            response = TemplateResponse(
                request,
                "demo_requests/rate_limited.html",
                {"page": self, "self": self, "retry_after": limited.retry_after},
                status=429,
            )
            response["Retry-After"] = str(limited.retry_after)
            return _uncacheable(response)
        form = self.get_form(request.POST, request.FILES, page=self, user=request.user)
        if not form.is_valid():
            context = self.get_context(request)
            context["form"] = form
            # Keep the visitor's own fill-time token when it is sound, so fixing a typo
            # does not restart the minimum fill time.
            posted = request.POST.get(spam.TOKEN_FIELD, "")
            if spam.token_is_sound(posted, self.pk):
                context["form_token"] = posted
            return _uncacheable(TemplateResponse(request, self.get_template(request), context))
        recorded = record_lead(self, form, request)
        return _uncacheable(
            self.render_landing_page(request, recorded.lead.submission, *args, **kwargs)
        )


def _uncacheable(response):
    """The form carries a per-visitor CSRF token and fill-time token: never serve it
    from a shared cache (see README "Demo requests and leads": CSRF and caching)."""
    add_never_cache_headers(response)
    patch_vary_headers(response, ("Cookie",))
    return response
