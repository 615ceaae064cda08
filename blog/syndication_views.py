"""Admin screens for syndication: request it (agency staff), follow a job's progress,
and "make it our own" for a practice's copy. The work is in blog.services.syndication."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from blog.models import BlogPostPage, SyndicationJob
from blog.services import syndication, syndication_jobs
from practices.isolation import is_agency_staff
from practices.models import Practice, Specialty

IN_PROGRESS = syndication_jobs.IN_PROGRESS


class PracticeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Practice) -> str:
        return f"{obj.name} ({obj.site.hostname})"


class SyndicationForm(forms.Form):
    practices = PracticeChoiceField(
        queryset=Practice.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    specialty = forms.ChoiceField(
        required=False,
        choices=[("", "---------")]
        + [(value, label) for value, label in Specialty.choices if value != Specialty.AGENCY],
        help_text="Adds every practice of this specialty to the ones ticked above.",
    )
    all_practices = forms.BooleanField(required=False, label="All practices")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = syndication.practices_for_selection(all_practices=True)
        self.fields["practices"].queryset = choices.select_related("site")

    def clean(self) -> dict:
        data = super().clean()
        targets = syndication.practices_for_selection(
            practice_ids=[practice.pk for practice in data.get("practices", [])],
            specialty=data.get("specialty", ""),
            all_practices=data.get("all_practices", False),
        )
        data["targets"] = list(targets)
        if not data["targets"]:
            raise forms.ValidationError("Choose at least one practice.")
        return data


def _edit_url(page: BlogPostPage) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def _require_agency_staff(request: HttpRequest) -> None:
    if not is_agency_staff(request.user):
        raise PermissionDenied("Only agency staff can syndicate posts.")


class SyndicateView(WagtailAdminTemplateMixin, FormView):
    template_name = "blog/admin/syndicate.html"
    form_class = SyndicationForm
    page_title = "Syndicate"
    header_icon = "doc-full"

    def dispatch(self, request: HttpRequest, page_id: int) -> HttpResponse:
        _require_agency_staff(request)
        self.page = get_object_or_404(BlogPostPage, pk=page_id)
        if not (self.page.live and syndication.is_library_original(self.page)):
            messages.error(
                request, "Only a published post of the agency library can be syndicated."
            )
            return HttpResponseRedirect(_edit_url(self.page))
        refusal = syndication.syndication_refusal(self.page)
        if refusal:
            messages.error(request, refusal)
            return HttpResponseRedirect(_edit_url(self.page))
        return super().dispatch(request, page_id)

    def get_page_subtitle(self) -> str:
        return self.page.title

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(post=self.page, **kwargs)

    def form_valid(self, form: SyndicationForm) -> HttpResponse:
        try:
            job = syndication_jobs.request_syndication(
                self.page, form.cleaned_data["targets"], self.request.user
            )
        except syndication.SyndicationError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, f"Syndication to {job.total} practices started.")
        return HttpResponseRedirect(reverse("blog_syndication_job", args=[job.pk]))


class SyndicationJobView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "blog/admin/syndication_job.html"
    page_title = "Syndication"
    header_icon = "doc-full"

    def dispatch(self, request: HttpRequest, job_id: int) -> HttpResponse:
        _require_agency_staff(request)
        self.job = get_object_or_404(SyndicationJob.objects.select_related("original"), pk=job_id)
        return super().dispatch(request, job_id)

    def get_page_subtitle(self) -> str:
        return self.job.original.title

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(
            job=self.job,
            in_progress=self.job.status in IN_PROGRESS,
            errors=self.job.error.splitlines(),
            failures=self.job.failures.select_related("practice__site").order_by("pk"),
            rows=syndication_jobs.job_practice_rows(self.job),
            **kwargs,
        )


class RetryFailuresView(View):
    """The job page's retry action: one failed practice (`failure`), or all of them."""

    def post(self, request: HttpRequest, job_id: int) -> HttpResponse:
        _require_agency_staff(request)
        job = get_object_or_404(SyndicationJob, pk=job_id)
        job_url = reverse("blog_syndication_job", args=[job.pk])
        if job.status in IN_PROGRESS:
            messages.error(request, "The job is still running; it retries failed practices.")
            return HttpResponseRedirect(job_url)
        failures = job.failures.all()
        if request.POST.get("failure") != "all":
            failures = failures.filter(pk=_int_or_none(request.POST.get("failure")))
        failures = list(failures)
        if not failures:
            messages.error(request, "No such failed practice on this job (already retried?).")
            return HttpResponseRedirect(job_url)
        for failure in failures:
            syndication_jobs.request_retry(failure)
        messages.success(request, f"Retrying {len(failures)} practice(s) now.")
        return HttpResponseRedirect(job_url)


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


class DetachView(WagtailAdminTemplateMixin, TemplateView):
    """Make it our own: open to anyone who may edit the copy."""

    template_name = "blog/admin/detach.html"
    page_title = "Make it our own"
    header_icon = "doc-full"

    def dispatch(self, request: HttpRequest, page_id: int) -> HttpResponse:
        self.page = get_object_or_404(BlogPostPage, pk=page_id)
        if not self.page.permissions_for_user(request.user).can_edit():
            raise PermissionDenied("You cannot edit this post.")
        if not self.page.is_syndicated:
            messages.info(request, "This post is already your practice's own.")
            return HttpResponseRedirect(_edit_url(self.page))
        return super().dispatch(request, page_id)

    def get_page_subtitle(self) -> str:
        return self.page.title

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(post=self.page, edit_url=_edit_url(self.page), **kwargs)

    def post(self, request: HttpRequest, page_id: int) -> HttpResponse:
        try:
            syndication.detach(self.page, request.user)
        except syndication.SyndicationError as exc:
            messages.info(request, str(exc))
        else:
            messages.success(request, "This post is now your own: edit it freely.")
        return HttpResponseRedirect(_edit_url(self.page))
