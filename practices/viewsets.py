"""Agency screens in the Wagtail admin: the practices dashboard and provisioning."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.html import format_html, format_html_join
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from practices.dashboard import registered_columns
from practices.forms import ConfirmDeletionForm, ProvisionPracticeForm
from practices.models import Practice, PracticeStatus
from practices.selectors import practice_dashboard_rows
from practices.services.lifecycle import LifecycleError, delete_practice
from practices.services.provisioning import ProvisioningError, provision_practice


def hostnames(practice: Practice) -> str:
    aliases = [alias.hostname for alias in practice.aliases.all()]
    main = format_html("<strong>{}</strong>", practice.site.hostname)
    if not aliases:
        return main
    return format_html("{}<br>{}", main, format_html_join(", ", "{}", ((a,) for a in aliases)))


class PracticeDashboardView(generic.IndexView):
    """All practices with their figures; searchable, sortable, paginated."""

    def get_base_queryset(self):
        return practice_dashboard_rows(super().get_base_queryset())


class ProvisionPracticeView(generic.CreateView):
    """Creates a practice through provision_practice(), the same path as the command."""

    page_title = "Provision a practice"

    def get_form_class(self):
        return ProvisionPracticeForm

    def get_form_kwargs(self) -> dict:
        kwargs = {"initial": self.get_initial(), "prefix": self.get_prefix()}
        if self.request.method in ("POST", "PUT"):
            kwargs.update(data=self.request.POST, files=self.request.FILES)
        return kwargs

    def get_panel(self):
        return None

    def form_valid(self, form: ProvisionPracticeForm) -> HttpResponse:
        try:
            result = provision_practice(form.to_spec())
        except ProvisioningError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            self.produced_error_message = "The practice could not be provisioned."
            return self.form_invalid(form)
        self.object = result.practice
        if result.created:
            messages.success(self.request, f"Practice '{self.object.name}' provisioned.")
        else:
            messages.warning(self.request, f"Practice '{self.object.slug}' already exists.")
        if result.owner_password_url:
            messages.info(
                self.request, f"Send the owner this password-set link: {result.owner_password_url}"
            )
        return HttpResponseRedirect(self.get_success_url())


class DeletePracticeView(generic.DeleteView):
    """Deleting needs an archived practice and its slug typed again."""

    def get_form(self, form_class=None):
        return ConfirmDeletionForm(self.request.POST or None)

    def form_valid(self, form: ConfirmDeletionForm) -> HttpResponse:
        try:
            delete_practice(self.object, confirm_slug=form.cleaned_data["confirm"])
        except LifecycleError as exc:
            messages.error(self.request, str(exc))
            return HttpResponseRedirect(self.request.path)
        messages.success(self.request, f"Practice '{self.object.slug}' and its content deleted.")
        return HttpResponseRedirect(self.get_success_url())


class PracticeViewSet(ModelViewSet):
    model = Practice
    icon = "site"
    menu_label = "Practices"
    menu_order = 150
    add_to_admin_menu = True
    url_prefix = "practices"
    index_view_class = PracticeDashboardView
    add_view_class = ProvisionPracticeView
    delete_view_class = DeletePracticeView
    form_fields = ["name", "specialty", "timezone", "status"]
    search_fields = ["name", "slug", "site__hostname"]
    list_filter = ["status", "specialty"]
    list_per_page = 50
    ordering = ["name"]

    @property
    def list_display(self) -> list[Column]:
        """The practice's identity, then every registered figure column (sortable)."""
        figures = [
            (DateColumn if column.is_date else Column)(
                column.name, label=column.label, sort_key=column.name
            )
            for column in registered_columns()
        ]
        return [
            TitleColumn("name", label="Practice", url_name="practices:edit", sort_key="name"),
            StatusTagColumn(
                "status", sort_key="status", primary=lambda p: p.status == PracticeStatus.LIVE
            ),
            Column("hostnames", label="Hostnames", accessor=hostnames),
            *figures,
        ]
